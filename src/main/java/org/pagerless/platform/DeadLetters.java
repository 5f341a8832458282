package org.pagerless.platform;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Refused records, copied unchanged (same key, value and headers) to a dead-letter topic with why and where they
 * came from, for the system that sent them (docs/integration.md, "Intake topic"; ADR 0083). The headers are the
 * documented contract: {@value Topics#DLQ_REASON_HEADER} and {@value #REASON} (the same text: the name SmallRye
 * Reactive Messaging's dead-letter strategy gave it, which the topic's readers may already use), and
 * {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}. Bytes out, on a producer of their own ({@code acks=all},
 * idempotent, made at the first refusal: most pods never refuse anything), so a record that is not text is copied
 * byte for byte. A send the broker does not acknowledge within the send timeout fails with
 * {@link Kafka.BrokerUnavailable}: transient, the caller's consumer tries the record again.
 */
@ApplicationScoped
public class DeadLetters {
    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /**
     * Larger records are parked but not copied: the copy and its headers must fit the producer's and the topic's
     * 1 MiB defaults. Every record this large is poison (over {@code pagerless.consumers.max-record-bytes}), so parked.
     */
    public static final int MAX_BYTES = 900 * 1024;

    @Inject
    Kafka kafka;

    private KafkaProducer<byte[], byte[]> producer;

    /**
     * Sends {@code value} (with {@code key} and the headers of {@code from}) to {@code topic}, with {@code reason} and
     * where {@code from} was; completes when the broker has it. Over {@value #MAX_BYTES} bytes: nothing is sent, and
     * the future is already complete.
     */
    public Future<RecordMetadata> refuse(String topic, ConsumerRecord<?, ?> from, byte[] key, byte[] value,
            String reason) {
        if (value != null && value.length > MAX_BYTES) {
            return CompletableFuture.completedFuture(null);
        }
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(topic, null, key, value,
                new RecordHeaders(from.headers().toArray())); // a copy: the record's own may be handled again
        for (String name : List.of(Topics.DLQ_REASON_HEADER, REASON)) {
            dead.headers().add(new RecordHeader(name, utf8(reason)));
        }
        dead.headers().add(new RecordHeader(TOPIC, utf8(from.topic())))
                .add(new RecordHeader(PARTITION, utf8(Integer.toString(from.partition()))))
                .add(new RecordHeader(OFFSET, utf8(Long.toString(from.offset()))));
        try {
            return producer().send(dead);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new Kafka.BrokerUnavailable(e));
        }
    }

    /** As {@link #refuse(String, ConsumerRecord, byte[], byte[], String)}, for a text record, in its own bytes. */
    public Future<RecordMetadata> refuse(String topic, ConsumerRecord<String, String> from, String reason) {
        return refuse(topic, from, from.key() == null ? null : utf8(from.key()), utf8(from.value()), reason);
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties props = kafka.producerProperties("pagerless-dead-letters", java.time.Duration.ZERO);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    synchronized void close(@Observes ShutdownEvent stop) {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
