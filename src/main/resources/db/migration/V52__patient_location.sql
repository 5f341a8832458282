-- Where each patient is now, from the trust's ADT feed (HL7 v2 over MLLP; interop). Keyed by NHS number.
-- Patient data: read only inside the authenticated API, never logged.
create table patient_location (
    nhs_number   text primary key,
    ward_id      text        not null,
    bed          text,
    updated_at   timestamptz not null,
    message_id   text        not null
);
