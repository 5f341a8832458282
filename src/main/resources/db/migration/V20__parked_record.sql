-- Records a consumer could not decode or decide (issue 9, ADR 0013): parked with their original bytes, headers and
-- the reason, so the consumer moves on at once and an admin can inspect, replay or discard them
-- (/api/v1/admin/parked). One row per consumer and record: a replayed poison record, or one parked by every pod
-- reading the same per-pod topic, is parked once.
create table parked_record (
    id               uuid primary key,
    consumer         text        not null,
    topic            text        not null,
    kafka_partition  int         not null,
    kafka_offset     bigint      not null,
    record_key       bytea,
    record_value     bytea,
    headers          jsonb       not null default '[]',
    record_timestamp timestamptz,
    reason           text        not null,
    parked_at        timestamptz not null,
    status           text        not null default 'WAITING' check (status in ('WAITING', 'REPLAYED', 'DISCARDED')),
    resolved_at      timestamptz,
    resolved_by      text,
    unique (consumer, topic, kafka_partition, kafka_offset)
);
create index parked_record_waiting on parked_record (consumer, parked_at) where status = 'WAITING';
