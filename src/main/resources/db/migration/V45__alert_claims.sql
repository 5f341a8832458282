-- "Needs a human" on the switchboard console: who has taken an alert on, and who dealt with it, and when.
-- One row per task, the current state: a claim clears an earlier resolution, a resolution clears the claim.
-- A later alert on the same task (raised after resolved_at) puts the task back in the queue.
create table alert_claim (
    task_id     uuid primary key,
    claimed_by  text,
    claimed_at  timestamptz,
    resolved_by text,
    resolved_at timestamptz,
    note        text
);
create index task_kind_raised on task (kind, raised_at);
