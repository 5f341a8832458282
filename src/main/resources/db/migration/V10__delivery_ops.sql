-- Delivery operations (ADR 0007): SMS rate limits with bundling, and contact methods people manage.

-- A bundled text covers several outbox rows: they share one Twilio message sid, so the sid is no
-- longer unique. Status callbacks move every row of the bundle.
alter table delivery drop constraint delivery_provider_id_key;
create index delivery_provider on delivery (provider_id) where provider_id is not null;

-- When Pagerless last texted each number (app clock): at most one non-stat text per number per window.
-- Updated with a conditional upsert, so two dispatchers never both take the same window.
create table sms_rate (
    phone        text primary key,
    last_sent_at timestamptz not null
);

-- A person's own mobile number, set by them (GET/PUT /api/v1/me/contact). Overrides the number on the
-- staff record from the rota; one number belongs to one person, so an inbound text names one sender.
create table contact (
    staff_id   text primary key,
    phone      text not null unique,
    updated_at timestamptz not null
);
