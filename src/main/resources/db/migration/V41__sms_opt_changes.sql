-- STOP / START replies applied once each, by Twilio's MessageSid (issue 10): Twilio retries a webhook it got no
-- answer for, and a STOP retried after a later START must not turn texts off again.
create table sms_opt_change (
    message_sid text primary key,
    phone       text not null,
    action      text not null,
    applied_at  timestamptz not null
);
