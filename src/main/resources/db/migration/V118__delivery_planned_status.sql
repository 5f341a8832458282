-- A row written already settled at planning (an offer's in-app row `sent`, a text, call or push that cannot go:
-- ADRs 0072, 0078, 0079) keeps the status and reason it was written in. The delivery history reads that change from
-- the row, as it reads the planned `pending` (ADR 0059), instead of from a history row written beside it (ADR 0085).
-- Rows planned before this migration keep their history rows and have no planned status: nothing is shown twice.
alter table delivery add column planned_status text, add column planned_reason text;
