-- Escalation: chains per role, the roles that carry the duties a chain ends with, and timers as rows.

-- A role's escalation chain, validated before it is saved (see EscalationPolicy). A role without one
-- gets the default chain for the task's priority. Each task keeps a snapshot of the chain it was raised
-- with (task.state), so editing a policy never changes tasks already raised.
create table escalation_policy (
    role_id    text primary key references role (id),
    name       text        not null,
    definition jsonb       not null,
    updated_at timestamptz not null default now(),
    updated_by text
);

-- Who must act when nobody else does: each ward's nurse in charge, the Hospital at Night coordinator and
-- switchboard, as roles resolved through the rota at the moment a step is entered.
create table escalation_duty (
    duty    text not null check (duty in ('nurse-in-charge', 'coordinator', 'switchboard')),
    ward_id text references ward (id),
    role_id text not null references role (id),
    check ((duty = 'nurse-in-charge') = (ward_id is not null))
);
create unique index escalation_duty_key on escalation_duty (duty, coalesce(ward_id, ''));

-- Timers are rows (ADR 0005): at most one per open task, written by the task processor in the same
-- transaction as the task's state. The ticker claims due rows with FOR UPDATE SKIP LOCKED, publishes an
-- EscalationDue command carrying the fence, and deletes the rows once the broker has acknowledged it.
create table timer (
    task_id uuid primary key references task (id),
    kind    text        not null,
    due_at  timestamptz not null,
    fence   bigint      not null
);
create index timer_due on timer (due_at);
