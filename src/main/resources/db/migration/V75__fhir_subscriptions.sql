-- FHIR R4 Subscriptions (rest-hook) and their notification outbox (issue 12, ADR 0036). Owned by interop.fhir.
create table fhir_subscription (
    id          uuid primary key,
    created_by  text        not null,
    criteria    text        not null,
    endpoint    text        not null,
    -- null: an empty POST to the endpoint; otherwise the Task is PUT to <endpoint>/Task/<id> in this format
    payload     text,
    headers     text[]      not null default '{}',
    secret      text        not null,
    reason      text        not null,
    status      text        not null,
    error       text,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

-- One row per subscription and task change (the command that changed the task): a change replayed from the
-- broker finds its row and is never queued twice. Retries and backoff live here, so a restart loses nothing.
create table fhir_notification (
    subscription_id uuid        not null references fhir_subscription (id) on delete cascade,
    change_id       uuid        not null,
    event_id        uuid        not null,
    task_id         uuid        not null,
    status          text        not null,
    attempts        int         not null default 0,
    due_at          timestamptz not null,
    claimed_until   timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (subscription_id, change_id)
);

create index fhir_notification_due on fhir_notification (due_at) where status = 'pending';
create index fhir_notification_sending on fhir_notification (claimed_until) where status = 'sending';
