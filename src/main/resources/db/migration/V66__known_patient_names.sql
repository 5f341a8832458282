-- The names of the patients the trust's ADT feed has told us of (admitted, not yet discharged), so that a bleep message
-- naming one of them can be flagged to its sender. Patient data: kept in the database only (never on a topic, in a
-- log, a metric or a span) and read only to check messages. Written by the ADT feed (interop) through intake.
create table known_patient_name (
    nhs_number text primary key,
    given      text,
    family     text        not null,
    updated_at timestamptz not null
);
