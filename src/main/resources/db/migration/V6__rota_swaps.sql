-- Swaps (issue 3): requested by one member of staff, answered by the other, recorded either way.
-- An accepted swap replaces the requester by the counterpart as holder of the role for the period.
create table rota_swap (
    id             bigserial primary key,
    role_id        text        not null references role (id),
    requester_id   text        not null references staff (id),
    counterpart_id text        not null references staff (id),
    starts_at      timestamptz not null,
    ends_at        timestamptz not null,
    status         text        not null default 'requested' check (status in ('requested', 'accepted', 'declined')),
    requested_at   timestamptz not null default now(),
    decided_at     timestamptz,
    check (ends_at > starts_at),
    check (requester_id <> counterpart_id)
);
create index rota_swap_ends_at on rota_swap (ends_at);
