package org.pagerless.platform;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineModule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The engine module {@code retention}: deletes bookkeeping rows nobody needs any more, in short batches, so the
 * tables the hot paths read stay small. The audit trail ({@code task_event}) is never touched (its trigger refuses
 * deletes anyway), nor anything a live task may still need.
 * <ul>
 * <li>{@code processed_command} rows older than {@code pagerless.retention.processed-command} (30 days). Keep this
 * longer than the command topics' retention and any client's idempotency-key retry window: a command whose row is
 * gone would be applied again if it were replayed.</li>
 * <li>Outbox rows ({@code delivery}) in a final state (sent, failed, delivered, read, withdrawn) untouched for
 * {@code pagerless.retention.delivery} (30 days), with their status history.</li>
 * <li>Parked records ({@code parked_record}) replayed or discarded longer ago than {@code pagerless.retention.parked}
 * (30 days).</li>
 * <li>Conversation messages, whole (every version, receipt, task link and photo with them): in task threads posted
 * longer ago than {@code pagerless.retention.conversation-task-thread} (8 years, as adult health records; export the
 * thread into the record first), elsewhere longer ago than {@code pagerless.retention.conversation-chat} (2 years).
 * Photos uploaded and never posted go after a day.</li>
 * </ul>
 * Fired timers need no pruning: the ticker deletes a timer row in the transaction that fires it, and the processor
 * deletes a closed task's row (ADR 0005). Every pod runs the module; two pods deleting the same rows is harmless.
 * Counts go to {@code pagerless.retention.pruned{table}}.
 */
@ApplicationScoped
public class Retention implements EngineModule {
    /** Final outbox states: nothing more is sent for them, and a late callback for a pruned row is ignored. */
    static final String FINAL_DELIVERY = "('sent', 'failed', 'delivered', 'read', 'withdrawn')";

    @Inject
    DataSource dataSource;
    @Inject
    Engine engine;
    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "pagerless.retention.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "pagerless.retention.every", defaultValue = "1h")
    Duration every;
    @ConfigProperty(name = "pagerless.retention.batch", defaultValue = "5000")
    int batch;
    @ConfigProperty(name = "pagerless.retention.processed-command", defaultValue = "30d")
    Duration processedCommands;
    @ConfigProperty(name = "pagerless.retention.delivery", defaultValue = "30d")
    Duration deliveries;
    @ConfigProperty(name = "pagerless.retention.parked", defaultValue = "30d")
    Duration parked;
    @ConfigProperty(name = "pagerless.retention.conversation-task-thread", defaultValue = "2922d")
    Duration taskThreads;
    @ConfigProperty(name = "pagerless.retention.conversation-chat", defaultValue = "730d")
    Duration chat;

    /** A photo uploaded and not posted with a message within this long is dropped. */
    static final Duration UNPOSTED_PHOTO = Duration.ofDays(1);

    void onStart(@Observes @Priority(50) StartupEvent start) {
        var loop = engine.loop(this);
        if (enabled) {
            loop.start();
        }
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) {
        prune(now);
        return Next.regular();
    }

    /** Prunes everything past its period at {@code now}; returns how many rows went, per table. */
    public Map<String, Long> prune(Instant now) {
        Pruner pruner = new Pruner(dataSource, batch);
        Map<String, Long> pruned = pruner.prune(now.minus(processedCommands), now.minus(deliveries), now.minus(parked));
        pruned.putAll(pruner.pruneConversations(now.minus(taskThreads), now.minus(chat), now.minus(UNPOSTED_PHOTO)));
        pruned.forEach((table, n) -> Counter.builder("pagerless.retention.pruned")
                .description("Rows deleted by retention").tag("table", table).register(registry).increment(n));
        return pruned;
    }

    /** The deletes themselves, plain JDBC, in batches of short transactions (also run by RetentionBenchmark). */
    public static final class Pruner {
        private final Jdbc jdbc;
        private final int batch;

        public Pruner(DataSource dataSource, int batch) {
            this.jdbc = new Jdbc(dataSource);
            this.batch = batch;
        }

        /** Deletes processed commands, final outbox rows and parked records from before the given instants. */
        public Map<String, Long> prune(Instant commandsBefore, Instant deliveriesBefore, Instant parkedBefore) {
            Map<String, Long> pruned = new LinkedHashMap<>();
            pruned.put("processed_command", drain(() -> deleteProcessedCommands(commandsBefore)));
            pruned.put("delivery", drain(() -> deleteDeliveries(deliveriesBefore)));
            pruned.put("parked_record", drain(() -> deleteParked(parkedBefore)));
            return pruned;
        }

        /**
         * Deletes conversation messages posted before the cutoffs (task threads, other conversations) with their
         * versions, receipts, task links and photos, and photos uploaded before {@code photosBefore} that no message
         * shows.
         */
        public Map<String, Long> pruneConversations(Instant taskThreadsBefore, Instant chatBefore, Instant photosBefore) {
            Map<String, Long> pruned = new LinkedHashMap<>();
            pruned.put("conversation_message", drain(() -> deleteMessages(taskThreadsBefore, chatBefore)));
            pruned.put("conversation_photo", drain(() -> deleteUnpostedPhotos(photosBefore)));
            return pruned;
        }

        private int deleteMessages(Instant taskThreadsBefore, Instant chatBefore) {
            return jdbc.transaction(c -> {
                List<UUID> ids = Jdbc.query(c, """
                        select m.id from conversation_message m join conversation c on c.id = m.conversation_id
                        where m.posted_at < case when c.kind = 'task' then ?::timestamptz else ?::timestamptz end
                        limit ? for update of m skip locked""", Pruner::uuid, taskThreadsBefore, chatBefore, batch);
                if (ids.isEmpty()) {
                    return 0;
                }
                Array array = c.createArrayOf("uuid", ids.toArray());
                for (String table : List.of("conversation_receipt", "conversation_message_version",
                        "conversation_task_link")) {
                    Jdbc.update(c, "delete from " + table + " where message_id = any(?)", array);
                }
                List<UUID> photos = Jdbc.query(c,
                        "delete from conversation_message where id = any(?) returning photo_id", Pruner::uuid, array);
                photos.removeIf(Objects::isNull);
                Jdbc.update(c, "delete from conversation_photo p where p.id = any(?)"
                        + " and not exists (select 1 from conversation_message m where m.photo_id = p.id)",
                        c.createArrayOf("uuid", photos.toArray()));
                return ids.size();
            });
        }

        private int deleteUnpostedPhotos(Instant before) {
            return jdbc.update("""
                    delete from conversation_photo where id in
                      (select p.id from conversation_photo p where p.uploaded_at < ?
                       and not exists (select 1 from conversation_message m where m.photo_id = p.id) limit ?)""",
                    before, batch);
        }

        /** Runs a batch until it comes back short: each batch is its own short transaction. */
        private long drain(IntSupplier b) {
            long total = 0;
            int n;
            do {
                n = b.getAsInt();
                total += n;
            } while (n >= batch);
            return total;
        }

        private int deleteProcessedCommands(Instant before) {
            return jdbc.update("""
                    delete from processed_command where command_id in
                      (select command_id from processed_command where processed_at < ? limit ?)""", before, batch);
        }

        private int deleteDeliveries(Instant before) {
            return jdbc.transaction(c -> {
                List<UUID> ids = Jdbc.query(c, "select id from delivery where status in "
                        + FINAL_DELIVERY + " and updated_at < ? limit ? for update skip locked", Pruner::uuid,
                        before, batch);
                if (ids.isEmpty()) {
                    return 0;
                }
                Array array = c.createArrayOf("uuid", ids.toArray());
                Jdbc.update(c, "delete from delivery_status_history where delivery_id = any(?)", array);
                int n = Jdbc.update(c, "delete from delivery where id = any(?)", array);
                // Rows skipped as locked are left for the next tick; count the batch as full so drain goes on.
                return ids.size() == batch ? batch : n;
            });
        }

        /**
         * Parked records an admin has dealt with (replayed or discarded) longer ago than the period; a record still
         * waiting is never pruned, however old: it is a page nobody has looked at.
         */
        private int deleteParked(Instant before) {
            return jdbc.update("""
                    delete from parked_record where ctid in
                      (select ctid from parked_record
                       where status <> 'WAITING' and resolved_at < ? limit ?)""", before, batch);
        }

        private static UUID uuid(ResultSet rs) throws SQLException {
            return rs.getObject(1, UUID.class);
        }
    }
}
