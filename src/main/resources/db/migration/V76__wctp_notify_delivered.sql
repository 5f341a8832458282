-- WCTP (issue 12): whether the paging client asked to hear of delivery (notifyWhenDelivered). A row is now kept for
-- every page that asked, with or without multiple-choice answers (choices then empty).
alter table wctp_choices add column notify_delivered boolean not null default false;
