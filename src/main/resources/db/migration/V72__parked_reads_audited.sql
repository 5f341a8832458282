-- Reads of parked records (/api/v1/admin/parked) are audited like task reads (issue 10): a parked intake record
-- can hold a patient's NHS number and name. Such a row names the parked record instead of a task.
alter table patient_read alter column task_id drop not null;
alter table patient_read add column parked_record_id uuid;
alter table patient_read add constraint patient_read_names_what_was_read
    check (task_id is not null or parked_record_id is not null);
