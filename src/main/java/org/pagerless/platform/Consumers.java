package org.pagerless.platform;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every consumer in the application, made here so that each parks its poison the same way, reports the same
 * health ({@link ConsumerHealth}) and can be replayed into by name ({@code /api/v1/admin/parked}). All are loops on
 * {@code kafka-clients} ({@link ConsumerLoop}): a consumer group ({@link #group}: the task processor, the delivery
 * planner, the outbox writer...; {@link #refusing}: the intake topic, whose refusals go to its dead-letter topic) or
 * a per-pod tail from the end ({@link #tail}: the task-event feed, the rota events). ADR 0003 says which is which,
 * and why; ADR 0083 why the intake topic is a loop too.
 */
@ApplicationScoped
public class Consumers {
    @Inject
    Kafka kafka;
    @Inject
    ParkedRecords parked;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;

    /** Records bigger than this are poison: nothing Pagerless publishes comes close. */
    @ConfigProperty(name = "pagerless.consumers.max-record-bytes", defaultValue = "262144")
    int maxRecordBytes;

    /**
     * How long the broker may hold a {@linkplain #background background} group's fetch to fill it
     * (fetch.max.wait.ms, with fetch.min.bytes {@value #BACKGROUND_MIN_BYTES}): fewer, fuller batches, so fewer
     * polls, batches and offset commits per record, at the price of up to this much delay when traffic is light.
     */
    @ConfigProperty(name = "pagerless.consumers.background-wait", defaultValue = "100ms")
    Duration backgroundWait;

    /** What a background group's fetch waits to gather (about 40 task events): at busy times it fills at once. */
    static final int BACKGROUND_MIN_BYTES = 64 * 1024;

    /**
     * How often a group loop commits the offsets it has handled (ADR 0066): at most once per this, and before its
     * partitions move or it stops. A crash hands up to this much of each group's records to its handlers again.
     */
    @ConfigProperty(name = "pagerless.consumers.commit-interval", defaultValue = "1s")
    Duration commitInterval;

    /** A consumer with records waiting that has not moved for this long is reported stalled. */
    @ConfigProperty(name = "pagerless.consumers.stall-after", defaultValue = "60s")
    Duration stallAfter;

    @Inject
    DeadLetters deadLetters;

    private final Map<String, TrackedConsumer> tracked = new ConcurrentHashMap<>();

    /** A loop in consumer group {@code group} on {@code topic}; call {@link ConsumerLoop#start()} to run it. */
    public ConsumerLoop group(String name, String group, String topic, int maxBatch, ConsumerLoop.BatchHandler handler) {
        return group(name, group, topic, maxBatch, 1, handler);
    }

    /**
     * A loop of {@code members} consumers in group {@code group} on {@code topic}, each on a thread of its own with its
     * share of the partitions (one name, one health, one parking place); call {@link ConsumerLoop#start()} to run it.
     */
    public ConsumerLoop group(String name, String group, String topic, int maxBatch, int members,
            ConsumerLoop.BatchHandler handler) {
        return register(new ConsumerLoop(name, topic, false, members,
                i -> kafka.consumer(group, i == 0 ? name : name + "-" + (i + 1), maxBatch), handler, parked::park,
                clock, maxRecordBytes, commitInterval));
    }

    /**
     * As {@link #group(String, String, String, int, ConsumerLoop.BatchHandler)}, for a group nobody is waiting on
     * record by record (the integration stream, FHIR subscription matching, the task threads' lines): the broker
     * holds its fetches up to {@code pagerless.consumers.background-wait} to gather {@value #BACKGROUND_MIN_BYTES}
     * bytes, so it handles and commits fewer, fuller batches. Never for a group on a page's path (the processor, the
     * delivery planner and outbox) or one a person watches (a conversation's messages, the live feeds).
     */
    public ConsumerLoop background(String name, String group, String topic, int maxBatch,
            ConsumerLoop.BatchHandler handler) {
        if (backgroundWait.isZero()) { // off: answered at once, as any other group
            return group(name, group, topic, maxBatch, handler);
        }
        return register(new ConsumerLoop(name, topic, false, 1,
                i -> kafka.consumer(group, name, maxBatch, BACKGROUND_MIN_BYTES, backgroundWait), handler,
                parked::park, clock, maxRecordBytes, commitInterval));
    }

    /** This pod's own reading of {@code topic} from its end at start, every partition, no group; started here. */
    public ConsumerLoop tail(String name, String topic, int maxBatch, ConsumerLoop.BatchHandler handler) {
        ConsumerLoop loop = register(new ConsumerLoop(name, topic, true, 1, i -> kafka.consumer(null, name, maxBatch),
                handler, parked::park, clock, maxRecordBytes, commitInterval));
        loop.start();
        return loop;
    }

    /**
     * As {@link #group(String, String, String, int, ConsumerLoop.BatchHandler)}, for a topic whose senders are told
     * what was refused (the intake topic): the handler sends the records it refuses to {@code deadLetterTopic} itself
     * ({@link DeadLetters}), and poison — a record that is not text, or one a rule throws on — is parked for the admin
     * <em>and</em> copied there with the reason, so the sender learns of it too. Parked first: a record whose copy the
     * broker does not take is tried again (and may be copied twice; at least once, as every topic here).
     */
    public ConsumerLoop refusing(String name, String group, String topic, int maxBatch, String deadLetterTopic,
            ConsumerLoop.BatchHandler handler) {
        TrackedConsumer.Parking parkAndRefuse = (consumer, record, reason) -> {
            boolean first = parked.park(consumer, record, reason);
            kafka.awaitAll(List.of(deadLetters.refuse(deadLetterTopic, record, record.key(), record.value(), reason)));
            return first;
        };
        return register(new ConsumerLoop(name, topic, false, 1, i -> kafka.consumer(group, name, maxBatch), handler,
                parkAndRefuse, clock, maxRecordBytes, commitInterval));
    }

    /** Any consumer by name: for replays and health. */
    public Optional<TrackedConsumer> named(String name) {
        return Optional.ofNullable(tracked.get(name));
    }

    /** The loop of that name. */
    public Optional<ConsumerLoop> loop(String name) {
        return named(name).map(ConsumerLoop.class::cast);
    }

    public Collection<TrackedConsumer> all() {
        return tracked.values();
    }

    /** Why the consumer is stalled now, or null (see {@link TrackedConsumer#stalledReason}). */
    public String stalledReason(TrackedConsumer consumer) {
        return consumer.stalledReason(clock.instant(), stallAfter);
    }

    private <T extends TrackedConsumer> T register(T consumer) {
        tracked.put(consumer.name(), consumer);
        parked.track(consumer.name());
        Gauge.builder("pagerless.consumer.stalled", consumer, c -> stalledReason(c) == null ? 0 : 1)
                .description("1 while the consumer has records waiting and has not moved for the stall time")
                .tag("consumer", consumer.name()).register(registry);
        Gauge.builder("pagerless.consumer.lag", consumer, TrackedConsumer::lag)
                .description("Records behind the end of the consumer's partitions").tag("consumer", consumer.name())
                .register(registry);
        FunctionCounter.builder("pagerless.consumer.retries", consumer, TrackedConsumer::retries)
                .description("Transient failures the consumer waited out by trying the same records again")
                .tag("consumer", consumer.name()).register(registry);
        return consumer;
    }
}
