-- Stat first in every channel (issue 13): the dispatcher claims due stat rows before any others, on their own
-- partial index, so a backlog of routine rows is never scanned to find them.
create index delivery_due_stat on delivery (channel, due_at) where status = 'pending' and priority = 'stat';
