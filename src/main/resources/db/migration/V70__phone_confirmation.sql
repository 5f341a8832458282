-- Phone confirmation (issue 10): a mobile number receives pages (texts and calls) only once its person has entered
-- a code texted to it. A confirmation holds for one person and one number: a new number (set by the person or on
-- their staff record) is unconfirmed until its own code is entered.
create table phone_confirmed (
    staff_id     text        not null,
    phone        text        not null,
    confirmed_at timestamptz not null,
    how          text        not null check (how in ('code', 'existing', 'demo')),
    primary key (staff_id, phone)
);

-- The code last texted to a person's number: only its PBKDF2 hash is kept, it expires, and it allows a few tries.
create table phone_code (
    staff_id      text primary key,
    phone         text        not null,
    code_hash     text        not null,
    sent_at       timestamptz not null,
    expires_at    timestamptz not null,
    tries_left    int         not null
);

-- Numbers already paged before this version keep working: those on staff records and those people set themselves.
insert into phone_confirmed (staff_id, phone, confirmed_at, how)
select id, trim(phone), now(), 'existing' from staff where phone is not null and trim(phone) <> ''
on conflict do nothing;
insert into phone_confirmed (staff_id, phone, confirmed_at, how)
select staff_id, phone, now(), 'existing' from contact
on conflict do nothing;
