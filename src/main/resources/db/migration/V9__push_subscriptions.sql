-- Web Push (ADR 0011): the browsers each person has turned alerts on in, and a delivery channel 'push'.
-- A subscription the push service answered 404/410 for is retired (retired_at set), never used again;
-- rows are kept, not deleted, so "why did my phone stop buzzing" can be answered.
create table push_subscription (
    id             uuid primary key,
    staff_id       text        not null references staff (id),
    endpoint       text        not null,            -- the push service URL for this browser (a capability: never logged)
    p256dh         text        not null,            -- the browser's P-256 public key, base64url
    auth           text        not null,            -- the browser's 16-byte auth secret, base64url
    user_agent     text,
    created_at     timestamptz not null,
    retired_at     timestamptz,
    retired_reason text
);
-- One live subscription per browser: registering the same endpoint again replaces the old row.
create unique index push_subscription_live_endpoint on push_subscription (endpoint) where retired_at is null;
create index push_subscription_staff on push_subscription (staff_id) where retired_at is null;

alter table delivery drop constraint delivery_channel_check;
alter table delivery add constraint delivery_channel_check check (channel in ('in-app', 'sms', 'push'));
