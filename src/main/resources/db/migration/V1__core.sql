-- Reference data: the hospital, its wards, its staff, its roles and the rota.
create table site (
    id   text primary key,
    name text not null
);

create table ward (
    id      text primary key,
    site_id text not null references site (id),
    name    text not null unique
);

create table staff (
    id           text primary key,            -- also the sign-in name
    display_name text not null,
    grade        text,
    app_role     text not null check (app_role in
                 ('switchboard', 'clinician', 'nurse-in-charge', 'coordinator', 'admin', 'integration')),
    phone        text
);

create table role (
    id        text primary key,
    name      text not null unique,
    site_id   text not null references site (id),
    specialty text,
    bleep     text unique
);

-- Which roles cover which wards, in order: the first with a holder covers the ward now.
create table role_ward (
    role_id text not null references role (id),
    ward_id text not null references ward (id),
    rank    int  not null,
    primary key (role_id, ward_id)
);

create table shift (
    id        bigserial primary key,
    role_id   text        not null references role (id),
    staff_id  text        not null references staff (id),
    starts_at timestamptz not null,
    ends_at   timestamptz not null,
    check (ends_at > starts_at)
);
create index shift_ends_at on shift (ends_at);

-- The task read model and aggregate state, written only by the task command processor.
create table task (
    id          uuid primary key,
    kind        text        not null,
    priority    text        not null,
    status      text        not null,
    fyi         boolean     not null,
    ward_id     text,
    target_type text        not null,
    target_id   text        not null,
    requester   text        not null,
    owner       text,
    offered_to  text[]      not null default '{}',
    raised_at   timestamptz not null,
    updated_at  timestamptz not null,
    version     bigint      not null,
    state       jsonb       not null
);
create index task_offered_to on task using gin (offered_to);
create index task_owner on task (owner) where owner is not null;
create index task_status_raised on task (status, raised_at);

-- The audit trail: append-only, one row per event, never updated or deleted.
create table task_event (
    seq        bigserial primary key,
    event_id   uuid        not null unique,
    task_id    uuid        not null,
    command_id uuid        not null,
    type       text        not null,
    actor      text        not null,
    at         timestamptz not null,
    payload    jsonb       not null
);
create index task_event_task on task_event (task_id, seq);
create index task_event_command on task_event (command_id);

create function task_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'task_event is append-only';
end;
$$;
create trigger task_event_no_update before update or delete on task_event
    for each statement execute function task_event_append_only();

-- Commands already applied: applying a command id twice is a no-op.
create table processed_command (
    command_id   uuid primary key,
    task_id      uuid        not null,
    processed_at timestamptz not null default now()
);
