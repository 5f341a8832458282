package org.pagerless.platform;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code parked_record} table (ADR 0013): poison records with their original bytes, headers and the reason,
 * waiting for an admin to replay or discard them. Counts parked records ({@code pagerless_records_parked_total}) and
 * keeps the number waiting per consumer ({@code pagerless_parked_records}), which readiness reports.
 */
@ApplicationScoped
public class ParkedRecords {
    /** How often the waiting counts are re-read (other pods park and resolve too). */
    private static final Duration RECOUNT_EVERY = Duration.ofSeconds(30);

    /** A parked record as an admin sees it. {@code value} is the text if it is UTF-8, else null (see base64). */
    public record Parked(UUID id, String consumer, String topic, int partition, long offset, String key,
            String value, String valueBase64, Map<String, String> headers, Instant recordTimestamp, String reason,
            Instant parkedAt, String status, Instant resolvedAt, String resolvedBy) {
    }

    @Inject
    Jdbc jdbc;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper json;

    private final Map<String, AtomicLong> waiting = new ConcurrentHashMap<>();
    /**
     * Runs the background re-counts: one daemon thread, at most one re-count waiting behind the running one (another
     * would read the same rows). Not {@code CompletableFuture.runAsync}: on 2 cores the common pool has parallelism 1,
     * so CompletableFuture starts a new thread per call.
     */
    private final ThreadPoolExecutor recounter = recounter();
    private volatile Instant countedAt = Instant.EPOCH;

    private static ThreadPoolExecutor recounter() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                runnable -> {
                    Thread t = new Thread(runnable, "parked-recount");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @PreDestroy
    void stop() {
        recounter.shutdownNow();
    }

    /** Registers the consumer's gauge of waiting records. */
    void track(String consumer) {
        waiting.computeIfAbsent(consumer, name -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("pagerless.parked.records", count, AtomicLong::get)
                    .description("Parked records waiting for an admin to replay or discard them")
                    .tag("consumer", name).register(registry);
            return count;
        });
    }

    /** Parks one record; false if this consumer had parked it already. Throws when the database is unavailable. */
    public boolean park(String consumer, ConsumerRecord<byte[], byte[]> record, String reason) {
        boolean parked = jdbc.update("""
                insert into parked_record (id, consumer, topic, kafka_partition, kafka_offset, record_key, record_value,
                                           headers, record_timestamp, reason, parked_at)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                on conflict (consumer, topic, kafka_partition, kafka_offset) do nothing
                """, UUID.randomUUID(), consumer, record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), headersJson(record),
                record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()), reason,
                clock.instant()) == 1;
        if (parked) {
            Counter.builder("pagerless.records.parked").description("Poison records parked so the consumer moved on")
                    .tag("consumer", consumer).register(registry).increment();
            track(consumer);
            waiting.get(consumer).incrementAndGet();
        }
        return parked;
    }

    /** Parked records, newest first; {@code status} and {@code consumer} optional. */
    public List<Parked> list(String status, String consumer, int limit) {
        StringBuilder sql = new StringBuilder("select * from parked_record where true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        if (consumer != null) {
            sql.append(" and consumer = ?");
            args.add(consumer);
        }
        sql.append(" order by parked_at desc, kafka_offset desc limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), this::parked, args.toArray());
    }

    public Optional<Parked> find(UUID id) {
        return jdbc.queryOne("select * from parked_record where id = ?", this::parked, id);
    }

    /** The record as it was consumed: same topic, partition, offset, key, value and headers. */
    public Optional<ConsumerRecord<byte[], byte[]>> original(UUID id) {
        return jdbc.queryOne(
                "select topic, kafka_partition, kafka_offset, record_key, record_value, headers, record_timestamp"
                        + " from parked_record where id = ?", rs -> {
                    Timestamp at = rs.getTimestamp(7);
                    byte[] key = rs.getBytes(4);
                    byte[] value = rs.getBytes(5);
                    RecordHeaders headers = new RecordHeaders();
                    for (Map<String, String> h : headerList(rs.getString(6))) {
                        headers.add(h.get("key"),
                                h.get("value") == null ? null : Base64.getDecoder().decode(h.get("value")));
                    }
                    return new ConsumerRecord<>(rs.getString(1), rs.getInt(2), rs.getLong(3),
                            at == null ? -1 : at.getTime(), TimestampType.CREATE_TIME, key == null ? -1 : key.length,
                            value == null ? -1 : value.length, key, value, headers, Optional.empty());
                }, id);
    }

    /** Marks a waiting record replayed or discarded; false if it was not waiting (resolved already, or unknown). */
    public boolean resolve(UUID id, String status, String by) {
        Optional<String> resolved = jdbc.queryOne("""
                update parked_record set status = ?, resolved_at = ?, resolved_by = ?
                where id = ? and status = 'WAITING' returning consumer
                """, rs -> rs.getString(1), status, clock.instant(), by, id);
        if (resolved.isEmpty()) {
            return false;
        }
        AtomicLong count = waiting.get(resolved.get());
        if (count != null) {
            count.updateAndGet(n -> Math.max(0, n - 1));
        }
        return true;
    }

    /** A replay that failed again: the record stays waiting, with the new reason. */
    public void stillPoison(UUID id, String reason) {
        jdbc.update("update parked_record set reason = ? where id = ?", reason, id);
    }

    /**
     * Records waiting per consumer, as last counted. Never waits for the database (readiness calls this): when the
     * count is older than 30 s a re-count is started in the background (other pods park and resolve too; a failed
     * re-count keeps the last known numbers).
     */
    public Map<String, Long> waiting() {
        Instant now = Instant.now();
        if (countedAt.plus(RECOUNT_EVERY).isBefore(now)) {
            countedAt = now;
            recounter.execute(this::recount);
        }
        Map<String, Long> out = new java.util.TreeMap<>();
        waiting.forEach((consumer, count) -> {
            if (count.get() > 0) {
                out.put(consumer, count.get());
            }
        });
        return out;
    }

    /** Re-reads the waiting counts now (after an admin action, or on a schedule). */
    public void recount() {
        Map<String, Long> counts = new java.util.HashMap<>();
        try {
            jdbc.forEachRow("select consumer, count(*) from parked_record where status = 'WAITING' group by consumer",
                    rs -> counts.put(rs.getString(1), rs.getLong(2)));
        } catch (IllegalStateException e) {
            return; // keep the last known counts; the database being down is reported by its own check
        }
        counts.keySet().forEach(this::track);
        waiting.forEach((consumer, count) -> count.set(counts.getOrDefault(consumer, 0L)));
    }

    private Parked parked(ResultSet rs) throws SQLException {
        byte[] key = rs.getBytes("record_key");
        byte[] value = rs.getBytes("record_value");
        Timestamp recordAt = rs.getTimestamp("record_timestamp");
        Timestamp resolvedAt = rs.getTimestamp("resolved_at");
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Map<String, String> h : headerList(rs.getString("headers"))) {
            headers.put(h.get("key"), h.get("value") == null ? null : text(Base64.getDecoder().decode(h.get("value"))));
        }
        return new Parked(rs.getObject("id", UUID.class), rs.getString("consumer"), rs.getString("topic"),
                rs.getInt("kafka_partition"), rs.getLong("kafka_offset"), key == null ? null : text(key),
                value == null ? null : text(value), value == null ? null : Base64.getEncoder().encodeToString(value),
                headers, recordAt == null ? null : recordAt.toInstant(), rs.getString("reason"),
                rs.getTimestamp("parked_at").toInstant(), rs.getString("status"),
                resolvedAt == null ? null : resolvedAt.toInstant(), rs.getString("resolved_by"));
    }

    /** The bytes as text when they are UTF-8; otherwise null (the base64 form has them). */
    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private String headersJson(ConsumerRecord<byte[], byte[]> record) {
        List<Map<String, String>> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            Map<String, String> pair = new java.util.LinkedHashMap<>();
            pair.put("key", h.key());
            pair.put("value", h.value() == null ? null : Base64.getEncoder().encodeToString(h.value()));
            headers.add(pair);
        }
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Headers in order, each {@code {"key": ..., "value": base64 or null}} (a key may repeat). */
    private List<Map<String, String>> headerList(String text) {
        try {
            return json.readValue(text, new TypeReference<List<Map<String, String>>>() {
            });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
