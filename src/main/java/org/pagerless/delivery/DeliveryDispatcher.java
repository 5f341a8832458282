package org.pagerless.delivery;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskStatus;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Works the outbox: every tick, claims the deliveries due by the app clock and sends them, or
 * withdraws the ones no longer needed. A later ladder step goes only while the task is still offered
 * to the person and nothing earlier was read. SMS failures are retried with doubling backoff up to
 * a bound, then recorded as failed with the reason; nothing is sent after its expiry.
 */
@ApplicationScoped
public class DeliveryDispatcher {
    private static final Logger LOG = Logger.getLogger(DeliveryDispatcher.class);

    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliverySettings settings;
    @Inject
    SmsDispatch smsDispatch;
    @Inject
    TaskQueries tasks;
    @Inject
    InstantSource clock;
    @Inject
    DeliveryMetrics metrics;

    @Scheduled(every = "${pagerless.delivery.tick:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            Instant now = clock.instant();
            List<Delivery> due = outbox.claimDue(now, settings.sendingDeadline(), 100);
            List<Delivery> texts = new java.util.ArrayList<>();
            for (Delivery d : due) {
                if (d.channel() == Channel.SMS) {
                    texts.add(d); // together: the SMS rate limit bundles what is due for one number
                } else {
                    dispatch(d);
                }
            }
            smsDispatch.dispatch(texts);
        } catch (Exception e) {
            // The rows stay due (or in sending until the deadline): the next tick tries again.
            LOG.warnf("delivery tick failed: %s", e.toString());
        }
    }

    private void dispatch(Delivery d) throws java.sql.SQLException {
        Instant now = clock.instant();
        Optional<String> unneeded = whyUnneeded(d, now);
        if (unneeded.isPresent()) {
            outbox.finish(d.id(), DeliveryStatus.WITHDRAWN, unneeded.get(), now, null, null, d.attempts(), d.dueAt());
            return;
        }
        if (d.channel() == Channel.IN_APP) {
            // The task is in the person's inbox and on their live feed; "delivered" and "read" come from the app.
            metrics.attempt(d.channel());
            outbox.finish(d.id(), DeliveryStatus.SENT, null, now, null, null, d.attempts() + 1, d.dueAt());
            metrics.latency(d.channel(), d.dueAt(), now);
            return;
        }
        smsDispatch.dispatch(List.of(d));
    }

    /** Why this delivery should not go (any more), if so: expired, no longer offered, read on an earlier channel. */
    Optional<String> whyUnneeded(Delivery d, Instant now) throws java.sql.SQLException {
        if (now.isAfter(d.expiresAt())) {
            return Optional.of("expired before it could be sent");
        }
        Optional<Task> task = tasks.find(d.taskId());
        if (task.isEmpty() || task.get().status() != TaskStatus.OFFERED || !task.get().offeredTo().contains(d.staffId())) {
            return Optional.of("no longer offered to this person");
        }
        if (d.step() > 0 && outbox.read(d.notificationId())) {
            return Optional.of("already read on another channel");
        }
        return Optional.empty();
    }
}
