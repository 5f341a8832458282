package org.pagerless.platform;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every consumer in the application, made here so that each parks its poison the same way, reports the same
 * health ({@link ConsumerHealth}) and can be replayed into by name ({@code /api/v1/admin/parked}). Two kinds: a
 * consumer group ({@link #group}: the task processor, the delivery planner, the outbox writer, the intake topic) and
 * a per-pod tail from the end ({@link #tail}: the task-event feed, the rota events).
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

    /** A consumer with records waiting that has not moved for this long is reported stalled. */
    @ConfigProperty(name = "pagerless.consumers.stall-after", defaultValue = "60s")
    Duration stallAfter;

    private final Map<String, ConsumerLoop> loops = new ConcurrentHashMap<>();

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
                clock, maxRecordBytes));
    }

    /** This pod's own reading of {@code topic} from its end at start, every partition, no group; started here. */
    public ConsumerLoop tail(String name, String topic, int maxBatch, ConsumerLoop.BatchHandler handler) {
        ConsumerLoop loop = register(new ConsumerLoop(name, topic, true, 1, i -> kafka.consumer(null, name, maxBatch),
                handler, parked::park, clock, maxRecordBytes));
        loop.start();
        return loop;
    }

    public Optional<ConsumerLoop> named(String name) {
        return Optional.ofNullable(loops.get(name));
    }

    public Collection<ConsumerLoop> all() {
        return loops.values();
    }

    /** Why the consumer is stalled now, or null (see {@link ConsumerLoop#stalledReason}). */
    public String stalledReason(ConsumerLoop loop) {
        return loop.stalledReason(clock.instant(), stallAfter);
    }

    private ConsumerLoop register(ConsumerLoop loop) {
        loops.put(loop.name(), loop);
        parked.track(loop.name());
        Gauge.builder("pagerless.consumer.stalled", loop, l -> stalledReason(l) == null ? 0 : 1)
                .description("1 while the consumer has records waiting and has not moved for the stall time")
                .tag("consumer", loop.name()).register(registry);
        Gauge.builder("pagerless.consumer.lag", loop, ConsumerLoop::lag)
                .description("Records behind the end of the consumer's partitions").tag("consumer", loop.name())
                .register(registry);
        return loop;
    }
}
