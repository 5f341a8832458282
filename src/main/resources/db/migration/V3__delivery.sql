-- Delivery outbox: one row per notification per channel, moved forward by the dispatcher and by
-- provider callbacks. Ids are derived from the task event, the person and the channel, so a
-- replayed notification inserts nothing (dedupe by event id).
create table delivery (
    id              uuid primary key,
    notification_id uuid        not null,
    event_id        uuid        not null,
    task_id         uuid        not null,
    staff_id        text        not null,
    channel         text        not null check (channel in ('in-app', 'sms')),
    step            int         not null,            -- position on the priority's fallback ladder
    priority        text        not null,
    fyi             boolean     not null,
    kind            text        not null,
    ward_id         text,
    ref             text        not null,            -- short task reference a person can type back
    status          text        not null check (status in
                    ('pending', 'sending', 'queued', 'sent', 'failed', 'delivered', 'read', 'withdrawn')),
    reason          text,                            -- provider's or our reason for failed / withdrawn
    address         text,                            -- the phone number it went to (sms)
    provider_id     text unique,                     -- Twilio message sid
    attempts        int         not null default 0,
    due_at          timestamptz not null,            -- app clock: when to send (or to retry)
    expires_at      timestamptz not null,            -- a page not sent by then is withdrawn, never late
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    unique (notification_id, channel)
);
create index delivery_due on delivery (due_at) where status = 'pending';
create index delivery_staff on delivery (staff_id, created_at desc);
create index delivery_task on delivery (task_id);

-- Every transition, append-only: the NIC's "delivered 09:02, not seen" and the audit of each page.
create table delivery_status_history (
    seq         bigserial primary key,
    delivery_id uuid        not null references delivery (id),
    status      text        not null,
    reason      text,
    at          timestamptz not null
);
create index delivery_status_history_delivery on delivery_status_history (delivery_id, seq);

-- Numbers that replied STOP: no texts until they reply START.
create table sms_opt_out (
    phone text primary key,
    at    timestamptz not null
);
