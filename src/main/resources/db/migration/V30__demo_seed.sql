-- Standalone mode keeps its data across restarts (ADR 0001): each demo seeder records that it ran, in the same
-- transaction as its rows, so a restart never seeds again, even after an admin deleted the seeded rows.
create table demo_seed (
    part      text primary key,
    seeded_at timestamptz not null default now()
);
