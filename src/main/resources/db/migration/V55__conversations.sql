-- Conversations (issue 14, docs/conversations.md): task threads, rota-following rooms, groups, messages to a role
-- and direct messages. A conversation's membership is never copied: it is resolved from the rota at each instant
-- (role_ids, ward_ids) plus its fixed members (member_ids); a task thread's people come from the task.
create table conversation (
    id          uuid primary key,
    kind        text        not null check (kind in ('task', 'room', 'group', 'role', 'direct')),
    title       text        not null,
    task_id     uuid,                                  -- kind 'task': the task it is the thread of
    role_ids    text[]      not null default '{}',     -- holders of these roles at the instant are members
    ward_ids    text[]      not null default '{}',     -- staff covering these wards (and their NIC) are members
    member_ids  text[]      not null default '{}',     -- fixed members (group, direct, who messaged a role)
    created_by  text        not null,
    created_at  timestamptz not null
);
create index conversation_task on conversation (task_id) where task_id is not null;

-- Messages, append-only: written only by the conversation writer (one per conversation, keyed on Kafka).
-- audience is who was a member when it was posted: someone who has left a room keeps seeing what they were part of.
create table conversation_message (
    id              uuid primary key,
    seq             bigserial   not null unique,
    conversation_id uuid        not null references conversation (id),
    kind            text        not null check (kind in ('text', 'system')),
    author          text,                              -- null for system lines
    body            text        not null,
    mentions        text[]      not null default '{}', -- staff ids told of it (from @person and @role)
    audience        text[]      not null,
    posted_at       timestamptz not null
);
create index conversation_message_by_conversation on conversation_message (conversation_id, seq);
create index conversation_message_audience on conversation_message using gin (audience);

-- Per member and message: when their app had it (delivered) and when they read it. Absent: only sent.
create table conversation_receipt (
    message_id   uuid        not null references conversation_message (id),
    staff_id     text        not null,
    delivered_at timestamptz not null,
    read_at      timestamptz,
    primary key (message_id, staff_id)
);

-- A message turned into a task or a bleep: the link both ways (message -> task, task -> where it came from).
create table conversation_task_link (
    message_id      uuid        not null references conversation_message (id),
    conversation_id uuid        not null references conversation (id),
    task_id         uuid        not null unique,
    raised_by       text        not null,
    raised_at       timestamptz not null,
    primary key (message_id, task_id)
);
