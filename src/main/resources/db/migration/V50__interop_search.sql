-- FHIR Task search (interop): by the patient's NHS number and by last change.
create index task_patient_nhs_number on task ((state -> 'details' -> 'patient' ->> 'nhsNumber'));
create index task_updated_at on task (updated_at);
