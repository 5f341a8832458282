-- ADR 0059: a delivery's first status, pending when it was planned, is read from the row itself (delivery.created_at);
-- planning writes no history row for it any more. The rows planning wrote before are dropped, so no history shows the
-- planned pending twice: each delivery's first history row, when it is that plan-time pending (same instant as the
-- row's creation, no reason). A later pending (a retry, a hold, a reclaim) carries a reason and is kept.
delete from delivery_status_history h
 using delivery d
 where h.delivery_id = d.id
   and h.status = 'pending'
   and h.reason is null
   and h.at = d.created_at
   and h.seq = (select min(f.seq) from delivery_status_history f where f.delivery_id = h.delivery_id);
