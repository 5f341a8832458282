-- Non-task notifications through the one delivery outbox (issue 14, ADR 0038): "New message in Ward 7B team" is
-- pushed to a member whose app is closed. Such a row names its conversation and the conversation's title (never the
-- text), has no task, and only ever goes by Web Push: no text or call for chat.
alter table delivery alter column task_id drop not null;
alter table delivery add column conversation_id uuid;
alter table delivery add column title text;
-- A bleep's callback number or extension ("STAT bleep, call 2222"): what a pager showed, no patient data.
alter table delivery add column callback text;
alter table delivery add constraint delivery_about_check check (task_id is not null or conversation_id is not null);
-- One push waiting per person and conversation: messages that arrive while one is pending add nothing to it
-- (the lock screen says "New message in …" once, not a hundred times).
create unique index delivery_message_waiting on delivery (staff_id, conversation_id)
    where conversation_id is not null and status in ('pending', 'sending');
