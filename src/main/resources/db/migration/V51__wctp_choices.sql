-- WCTP multiple-choice pages (interop): the answers a paging client offered, so that a ClientQuery can report
-- an accept or a decline as the client's own reply text. Kept by the interop feature; never read by the task processor.
create table wctp_choices (
    task_id    uuid primary key,
    sender     text        not null,
    choices    text[]      not null,
    created_at timestamptz not null
);
