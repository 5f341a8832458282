package org.pagerless.platform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;
import org.pagerless.platform.TrackedConsumer.NotNow;
import org.pagerless.platform.TrackedConsumer.Parking;
import org.pagerless.platform.TrackedConsumer.Poisoned;
import org.pagerless.platform.PoisonIsolation.Decoded;

import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * An incoming SmallRye Reactive Messaging channel with the guarantees of a {@link ConsumerLoop} (ADR 0003, 0013): the
 * channel's {@code @Incoming} method hands each record to {@link #handle}, which
 * <ul>
 * <li>decodes it strictly (bytes in: not null, UTF-8, at most {@code pagerless.consumers.max-record-bytes}); a record
 * that is not text is <b>poison</b>: parked ({@code parked_record}, for the admin) and refused;</li>
 * <li>gives the text record to the handler, which completes with null (done) or the reason to refuse it; a handler
 * failure that is not transient (a rule that throws) is poison too;</li>
 * <li>waits out every <b>transient</b> failure ({@link Failures#isTransient}: broker or database unavailable, and
 * parking that cannot reach the database): the same record is tried again with backoff (200 ms doubling to 5 s) for
 * as long as it takes, holding its partition; nothing is refused or acknowledged meanwhile, so a restart or a
 * rebalance hands it over again (at least once: handlers are idempotent, ADR 0004);</li>
 * <li>acknowledges a record only when it is done; <b>refuses</b> by nacking it with the reason, so the channel's
 * {@code dead-letter-queue} failure strategy sends the original record to the dead-letter topic with SmallRye's
 * {@code dead-letter-reason} header and ours, {@value Topics#DLQ_REASON_HEADER}; a record too big to copy safely
 * ({@value #DEAD_LETTER_MAX_BYTES} bytes) is parked only.</li>
 * </ul>
 * Progress (the record in hand, the last failure, the lag) feeds the same stall reporting as the loops.
 */
public final class ChannelConsumer implements TrackedConsumer {
    private static final Logger LOG = Logger.getLogger(ChannelConsumer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /**
     * Larger records are parked but not copied to the dead-letter topic: the copy (plus headers) must fit the
     * producer's and the topic's 1 MiB defaults, and a dead-letter send that fails stops a SmallRye channel.
     */
    static final int DEAD_LETTER_MAX_BYTES = 900 * 1024;

    /** Handles one decoded record: completes with null when done, or with the reason to refuse it. */
    @FunctionalInterface
    public interface Handler {
        Uni<String> handle(ConsumerRecord<String, String> record);
    }

    /** Why a record was refused; its message is the reason the dead-letter headers carry. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String name;
    private final int maxRecordBytes;
    private final Handler handler;
    private final Parking parking;
    private final InstantSource clock;
    private final Counter retries;
    private final Consumer<ChannelConsumer> measureLag;
    private volatile Instant lastProgress;
    private volatile Instant busySince;
    private volatile String lastFailure;
    private volatile long lag;

    ChannelConsumer(String name, int maxRecordBytes, Handler handler, Parking parking, InstantSource clock,
            Counter retries, Consumer<ChannelConsumer> measureLag) {
        this.name = name;
        this.maxRecordBytes = maxRecordBytes;
        this.handler = handler;
        this.parking = parking;
        this.clock = clock;
        this.retries = retries;
        this.measureLag = measureLag;
        this.lastProgress = clock.instant();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Handles the channel's {@code message}: completes, with null or the reason it was refused, once it has been
     * acknowledged or sent to the dead-letter topic. Never fails: a transient failure is retried until it passes.
     */
    public Uni<String> handle(Message<byte[]> message) {
        ConsumerRecord<byte[], byte[]> raw = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.<byte[], byte[]>getRecord()).orElseThrow(() -> new IllegalStateException(
                        name + ": not a Kafka record"));
        busySince = clock.instant();
        return Uni.createFrom().deferred(() -> once(raw))
                .onFailure().invoke(this::waiting)
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely()
                .chain(reason -> finish(message, raw, reason))
                .onTermination().invoke(() -> busySince = null);
    }

    /** One attempt: null (done), the reason to refuse, or a failure to wait out. */
    private Uni<String> once(ConsumerRecord<byte[], byte[]> raw) {
        Decoded decoded = PoisonIsolation.decode(raw, maxRecordBytes);
        if (decoded.poison() != null) {
            return park(raw, decoded.poison());
        }
        Uni<String> handled;
        try {
            handled = handler.handle(decoded.text());
        } catch (RuntimeException e) {
            handled = Uni.createFrom().failure(e);
        }
        return handled.onFailure(f -> !Failures.isTransient(f)).recoverWithUni(f -> park(raw, Failures.describe(f)));
    }

    /** Parks the record (on a worker thread: JDBC); a database that cannot be reached makes the record wait. */
    private Uni<String> park(ConsumerRecord<byte[], byte[]> raw, String reason) {
        return Uni.createFrom().item(() -> {
            try {
                if (parking.park(name, raw, reason)) {
                    LOG.errorf("%s parked the record at %s-%d offset %d: %s", name, raw.topic(), raw.partition(),
                            raw.offset(), reason);
                }
            } catch (Exception e) {
                throw new MustWait(e);
            }
            return reason;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<String> finish(Message<byte[]> message, ConsumerRecord<byte[], byte[]> raw, String reason) {
        Uni<Void> settled;
        if (reason == null || raw.value() != null && raw.value().length > DEAD_LETTER_MAX_BYTES) {
            settled = Uni.createFrom().completionStage(message::ack);
        } else {
            OutgoingKafkaRecordMetadata<byte[]> headers = OutgoingKafkaRecordMetadata.<byte[]>builder()
                    .addHeaders(new RecordHeader(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8)))
                    .build();
            settled = Uni.createFrom().completionStage(() -> message.nack(new Refused(reason), Metadata.of(headers)));
        }
        return settled.invoke(() -> {
            lastFailure = null;
            lastProgress = clock.instant();
            measureLag.accept(this);
        }).replaceWith(reason);
    }

    private void waiting(Throwable failure) {
        lastFailure = Failures.describe(failure);
        retries.increment();
        LOG.warnf("%s: record waits for a dependency, retrying: %s", name, lastFailure);
    }

    /** Parking could not reach the database: the record waits like any other. */
    private static final class MustWait extends RuntimeException {
        MustWait(Exception cause) {
            super(cause);
        }
    }

    @Override
    public long lag() {
        measureLag.accept(this);
        return lag;
    }

    /** The lag just measured on the channel's polling thread. */
    void measured(long total) {
        lag = total;
        if (total == 0) {
            lastProgress = clock.instant();
        }
    }

    @Override
    public String stalledReason(Instant now, Duration after) {
        Instant busy = busySince;
        String failure = lastFailure;
        String last = failure == null ? "" : "; last failure: " + failure;
        if (busy != null && busy.plus(after).isBefore(now)) {
            return "one record has been in hand for " + Duration.between(busy, now).toSeconds() + " s" + last;
        }
        long waiting = lag();
        Instant since = lastProgress;
        if (waiting <= 0 || !since.plus(after).isBefore(now)) {
            return null;
        }
        return "no progress for " + Duration.between(since, now).toSeconds() + " s with " + waiting
                + " records waiting" + last;
    }

    /**
     * Handles a parked record again through the handler, outside the channel (no offset to commit). Refused again
     * or poison still: {@link Poisoned} (it stays parked); transient: {@link NotNow}.
     */
    @Override
    public CompletableFuture<Void> replay(ConsumerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        Decoded decoded = PoisonIsolation.decode(record, maxRecordBytes);
        if (decoded.poison() != null) {
            outcome.completeExceptionally(new Poisoned(decoded.poison()));
            return outcome;
        }
        Uni<String> handled;
        try {
            handled = handler.handle(decoded.text());
        } catch (RuntimeException e) {
            handled = Uni.createFrom().failure(e);
        }
        handled.subscribe().with(reason -> {
            if (reason == null) {
                outcome.complete(null);
            } else {
                outcome.completeExceptionally(new Poisoned(reason));
            }
        }, failure -> outcome.completeExceptionally(Failures.isTransient(failure)
                ? new NotNow(Failures.describe(failure)) : new Poisoned(Failures.describe(failure))));
        return outcome;
    }
}
