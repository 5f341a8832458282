-- The outbox's first due index, on due_at alone (V3), predates the per-channel lanes (V26). Every outbox read names
-- its channel, but the planner still chose this index for the lanes' "when is my next row due" (DeliveryClaims
-- .NEXT_DUE) and filtered by channel: each wake of the app and push lanes read every waiting text and call of the
-- escalation ladders (tens of ms of database time per wake at 500 bleeps/s; OutboxBacklogTest). delivery_due_channel
-- (channel, due_at) answers every such read; this one only cost each insert and status change an index entry.
drop index if exists delivery_due;
