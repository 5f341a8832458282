-- Crash-safe delivery (issue 9, ADR 0007): fencing tokens, unknown outcomes, callbacks that arrive first.

-- Every claim bumps `claim`; only the holder of the current token may record the outcome
-- (the dispatcher's UPDATE says `where id = ? and claim = ?`), so a dispatcher whose claim
-- expired (a pause, a dead pod) can never overwrite what the next holder did.
alter table delivery add column claim bigint not null default 0;

-- Set when a send to Twilio may have gone without our knowing (the pod died mid-send, the request
-- timed out, the connection dropped): from this instant (app clock) Twilio may hold the text or call.
-- Such a row is reconciled with Twilio (its Messages or Calls list) before anything is sent again.
alter table delivery add column unsure_since timestamptz;

-- Sending rows past their deadline are found by the dispatcher's claim and its "next due" query.
create index delivery_sending on delivery (updated_at) where status = 'sending';

-- A status callback for a provider sid no delivery has recorded yet (Twilio called back before the
-- dispatcher stored the sid the create request returned). Applied when the sid is recorded; rows
-- still here after a day are for sids we never recorded and are pruned.
create table delivery_callback (
    seq         bigserial primary key,
    provider_id text        not null,
    status      text        not null,
    reason      text,
    at          timestamptz not null
);
create index delivery_callback_provider on delivery_callback (provider_id);
