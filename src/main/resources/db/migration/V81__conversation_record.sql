-- Conversations as a record (issue 14, ADR 0039): edits and deletions are new versions, never changes to the
-- message; photos kept in PostgreSQL behind a small storage interface; per-person mute.

-- A message's later versions, append-only: a new text (edited) or none (deleted), by whom and when. The message row
-- keeps what was first posted; the newest version is what the apps show.
create table conversation_message_version (
    id          uuid primary key,                       -- chosen by the sender: a replayed command stores once
    seq         bigserial   not null unique,
    message_id  uuid        not null references conversation_message (id),
    body        text,                                   -- null: deleted
    changed_by  text        not null,
    changed_at  timestamptz not null
);
create index conversation_message_version_by_message on conversation_message_version (message_id, seq);

-- No UPDATE of a message or a version, by anyone: what was said stays as it was said. Rows go only when retention
-- deletes them whole (pagerless.retention.conversation-*).
create function conversation_record_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: edits and deletions are new versions', tg_table_name;
end $$;
create trigger conversation_message_no_update before update on conversation_message
    for each row execute function conversation_record_is_append_only();
create trigger conversation_message_version_no_update before update on conversation_message_version
    for each row execute function conversation_record_is_append_only();

-- Photos (wound, rash, ECG strip), re-encoded on upload so no EXIF or location metadata is kept.
create table conversation_photo (
    id              uuid primary key,
    conversation_id uuid        not null,
    uploaded_by     text        not null,
    uploaded_at     timestamptz not null,
    content_type    text        not null check (content_type in ('image/jpeg', 'image/png')),
    width           int         not null,
    height          int         not null,
    bytes           bytea       not null
);
create index conversation_photo_uploaded on conversation_photo (uploaded_at);
alter table conversation_message add column photo_id uuid references conversation_photo (id);
create index conversation_message_photo on conversation_message (photo_id) where photo_id is not null;
create index conversation_message_posted on conversation_message (posted_at);

-- Who has muted a conversation: no push for its messages, except those that mention them.
create table conversation_mute (
    conversation_id uuid        not null,
    staff_id        text        not null,
    muted_at        timestamptz not null,
    primary key (conversation_id, staff_id)
);
