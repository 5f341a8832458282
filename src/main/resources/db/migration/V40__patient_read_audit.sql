-- Every read of patient data (issue 10): who read which task's patient, when, through which endpoint or the live
-- feed, from which client. Append-only: a trigger refuses UPDATE and DELETE, TRUNCATE is refused too, so not even
-- the application can rewrite what was read. Read by admins and auditors at /api/v1/audit/patient-reads.
create table patient_read (
    seq            bigserial primary key,
    read_at        timestamptz not null,
    staff_id       text not null,
    app_role       text not null,
    task_id        uuid not null,
    nhs_number     text,
    channel        text not null,
    client_address text,
    user_agent     text
);
create index patient_read_nhs on patient_read (nhs_number, read_at);
create index patient_read_staff on patient_read (staff_id, read_at);
create index patient_read_at on patient_read (read_at);

create function patient_read_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'patient_read is append-only';
end $$;
create trigger patient_read_no_change before update or delete on patient_read
    for each row execute function patient_read_is_append_only();
create trigger patient_read_no_truncate before truncate on patient_read
    for each statement execute function patient_read_is_append_only();
