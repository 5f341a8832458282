-- Voice calls are outbox rows too (ADR 0012). The channel check of V3 is widened; 'push' is listed as well so
-- that whichever branch's migration runs last, neither channel is refused (Web Push is added on another branch).
alter table delivery drop constraint if exists delivery_channel_check;
alter table delivery add constraint delivery_channel_check check (channel in ('in-app', 'sms', 'push', 'voice'));
