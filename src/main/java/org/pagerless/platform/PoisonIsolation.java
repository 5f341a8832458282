package org.pagerless.platform;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.pagerless.platform.ConsumerLoop.BatchHandler;
import org.pagerless.platform.TrackedConsumer.Parking;

/**
 * How a {@link ConsumerLoop} keeps one bad record from stalling it (ADR 0013): each raw record must be text (not null,
 * UTF-8, at most the size limit) or it is poison; a batch whose handler fails for any reason other than a transient one
 * is split in halves, each handled on its own, in order, until the record that fails alone is found and parked. Every
 * other record is handled once by a half that succeeded. A transient failure, or parking that cannot reach the
 * database, stops the batch with {@link TransientFailure} so that the loop rewinds and retries.
 */
final class PoisonIsolation {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    /**
     * A record as the handler sees it, or why it cannot be. {@code raw} is the record as consumed: its value the
     * consumer's own buffer (no copy per record and group; a value is copied only to be parked).
     */
    record Decoded(ConsumerRecord<byte[], ByteBuffer> raw, ConsumerRecord<String, String> text, String poison) {
    }

    /** The batch waits for a dependency (its cause): rewind and retry, park nothing. */
    static final class TransientFailure extends Exception {
        TransientFailure(Exception cause) {
            super(cause);
        }
    }

    private final String consumer;
    private final int maxRecordBytes;
    private final BatchHandler handler;
    private final Parking parking;

    /** {@code handler} is the loop's own (timed) call of its handler. */
    PoisonIsolation(String consumer, int maxRecordBytes, BatchHandler handler, Parking parking) {
        this.consumer = consumer;
        this.maxRecordBytes = maxRecordBytes;
        this.handler = handler;
        this.parking = parking;
    }

    /**
     * Handles {@code records} (in order), splitting on poison until it is isolated and parked; every record handled or
     * parked has its next offset merged into {@code done}.
     */
    void handle(List<Decoded> records, Map<TopicPartition, OffsetAndMetadata> done) throws TransientFailure {
        if (records.isEmpty()) {
            return;
        }
        try {
            handler.handle(records.stream().map(Decoded::text).toList());
        } catch (Exception e) {
            if (Failures.isTransient(e)) {
                throw new TransientFailure(e);
            }
            if (records.size() == 1) {
                park(records.get(0).raw(), Failures.describe(e));
            } else {
                int half = records.size() / 2;
                handle(records.subList(0, half), done);
                handle(records.subList(half, records.size()), done);
                return;
            }
        }
        for (Decoded d : records) {
            done.merge(new TopicPartition(d.raw().topic(), d.raw().partition()),
                    new OffsetAndMetadata(d.raw().offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
        }
    }

    /** Parks {@code record} with {@code reason}; a database that cannot be reached makes the record wait instead. */
    void park(ConsumerRecord<byte[], ByteBuffer> record, String reason) throws TransientFailure {
        try {
            if (parking.park(consumer, inBytes(record), reason)) {
                LOG.errorf("%s parked the record at %s-%d offset %d and moved on: %s", consumer, record.topic(),
                        record.partition(), record.offset(), reason);
            }
        } catch (Exception e) {
            // Parking needs the database: until it is back, the record waits like any other.
            throw new TransientFailure(e);
        }
    }

    /** The record as text, or why it is poison: null, oversized, or not UTF-8 (the key likewise, if it has one). */
    Decoded decode(ConsumerRecord<byte[], ByteBuffer> raw) {
        ByteBuffer value = raw.value();
        String poison = null;
        String key = null;
        String text = null;
        if (value == null) {
            poison = "value: is null (no content)";
        } else if (value.remaining() > maxRecordBytes) {
            poison = "value: is " + value.remaining() + " bytes, more than the limit of " + maxRecordBytes;
        } else {
            try {
                text = utf8(value);
                key = raw.key() == null ? null : utf8(raw.key());
            } catch (CharacterCodingException e) {
                poison = (text == null ? "value" : "key") + ": is not UTF-8 text";
            }
        }
        if (poison != null) {
            return new Decoded(raw, null, poison);
        }
        return new Decoded(raw, with(raw, key, text), null);
    }

    /** As {@link #utf8(ByteBuffer)}, for bytes in an array of their own (a key). */
    static String utf8(byte[] bytes) throws CharacterCodingException {
        return utf8(ByteBuffer.wrap(bytes));
    }

    /**
     * The bytes left in {@code buffer} as text if they are UTF-8; the buffer is left as it was. The String
     * constructor's decoding (one copy for ASCII, which almost every record is) puts U+FFFD for each malformed
     * sequence and nothing else: text without one is what the bytes say. Only text with one (malformed bytes, or a
     * U+FFFD the sender wrote) is decoded again, strictly, to tell which. Every record passes here once per consumer
     * group: the strict decoder alone allocated a char array and a copy of each (docs/benchmarks.md, stop 48).
     */
    static String utf8(ByteBuffer buffer) throws CharacterCodingException {
        String text = buffer.hasArray()
                ? new String(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining(),
                        StandardCharsets.UTF_8)
                : StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        return text.indexOf('\uFFFD') < 0 ? text : strictUtf8(buffer);
    }

    /** The bytes as text, or {@link CharacterCodingException} at the first sequence that is not UTF-8. */
    static String strictUtf8(ByteBuffer buffer) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buffer.duplicate()).toString();
    }

    /** A record as consumed, its value in a buffer of its own: what an admin's replay hands back ({@link Replays}). */
    static ConsumerRecord<byte[], ByteBuffer> inBuffer(ConsumerRecord<byte[], byte[]> record) {
        return with(record, record.key(), record.value() == null ? null : ByteBuffer.wrap(record.value()));
    }

    /** The record with its value copied out of the consumer's buffer: what parking keeps. */
    static ConsumerRecord<byte[], byte[]> inBytes(ConsumerRecord<byte[], ByteBuffer> record) {
        ByteBuffer value = record.value();
        byte[] bytes = null;
        if (value != null) {
            bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
        }
        return with(record, record.key(), bytes);
    }

    /** {@code record} with this key and value: where it was, its sizes as sent, its headers. */
    private static <K, V> ConsumerRecord<K, V> with(ConsumerRecord<?, ?> record, K key, V value) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), key, value,
                record.headers(), record.leaderEpoch());
    }
}
