-- The dispatcher claims per channel (each channel has its own workers): due rows and rows past their sending
-- deadline are each claimed on their own partial index, as is the "next due" it sleeps until (ADR 0007).
drop index if exists delivery_sending;
create index delivery_due_channel on delivery (channel, due_at) where status = 'pending';
create index delivery_sending on delivery (channel, updated_at) where status = 'sending';
