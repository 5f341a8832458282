-- Every claim ("I am dealing with it") and resolution ("Dealt with") of an alert, append-only, for the task's
-- timeline: alert_claim keeps only the current state. No patient data: who, what, when and the operator's note.
create table alert_claim_event (
    id       bigserial primary key,
    task_id  uuid        not null,
    what     text        not null check (what in ('claimed', 'resolved')),
    by_staff text        not null,
    at       timestamptz not null,
    note     text
);
create index alert_claim_event_task on alert_claim_event (task_id, at);
