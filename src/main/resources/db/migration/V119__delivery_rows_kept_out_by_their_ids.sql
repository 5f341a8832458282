-- A notification planned again (its task event read twice) is kept out of the outbox by its rows' ids, which the same
-- notification and channel always give (ADR 0082); a row planned before ADR 0082, under its older id, is looked up by
-- that id as the rows are planned (ADR 0089). The unique index on (notification_id, channel) kept them out before: the
-- largest index of the largest table, on a hash, so every new row changed a page of it at random. Nothing reads by it
-- any more (a claim finds a notification's other rows by the task's index).
alter table delivery drop constraint delivery_notification_id_channel_key;
