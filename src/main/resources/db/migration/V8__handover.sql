-- Shift handover (issue 3, ADR 0010): how far each role's rota has been checked for holders leaving it.
-- The handover detector claims rows with FOR UPDATE SKIP LOCKED, hands over every departure in
-- (checked_until, now], publishes the HandOverTask commands, then moves checked_until to now in the same
-- transaction. A restart or an outage resumes from checked_until; two detectors never check one window twice.
create table handover_watch (
    role_id       text        primary key,
    checked_until timestamptz not null
);
