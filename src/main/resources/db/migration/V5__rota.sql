-- The rota beyond explicit shifts (issue 3): leave, overrides and rule-based rotations.
-- Rotations are rules, expanded on demand for the window asked about; they are never stored as shifts.

create table staff_leave (
    id         bigserial primary key,
    staff_id   text        not null references staff (id),
    starts_at  timestamptz not null,
    ends_at    timestamptz not null,
    reason     text,
    created_by text        not null,
    created_at timestamptz not null default now(),
    check (ends_at > starts_at)
);
create index staff_leave_ends_at on staff_leave (ends_at);

-- add: staff_id holds the role as well; remove: replaced_staff_id does not; replace: staff_id instead of replaced.
create table rota_override (
    id                bigserial primary key,
    role_id           text        not null references role (id),
    kind              text        not null check (kind in ('add', 'remove', 'replace')),
    staff_id          text references staff (id),
    replaced_staff_id text references staff (id),
    starts_at         timestamptz not null,
    ends_at           timestamptz not null,
    reason            text,
    created_by        text        not null,
    created_at        timestamptz not null default now(),
    check (ends_at > starts_at),
    check (kind = 'remove' or staff_id is not null),
    check (kind = 'add' or replaced_staff_id is not null)
);
create index rota_override_ends_at on rota_override (ends_at);

-- On each of days (ISO day numbers, 1 = Monday) from start_date to end_date (inclusive, open if null), a shift from
-- local start_time to local end_time (Europe/London; the next day when not after the start), given to staff in turn.
create table rotation (
    id         bigserial primary key,
    role_id    text        not null references role (id),
    name       text        not null,
    staff      text[]      not null check (cardinality(staff) > 0),
    days       smallint[]  not null check (cardinality(days) > 0),
    start_time time        not null,
    end_time   time        not null,
    start_date date        not null,
    end_date   date,
    created_by text        not null,
    created_at timestamptz not null default now(),
    check (end_date is null or end_date >= start_date)
);
