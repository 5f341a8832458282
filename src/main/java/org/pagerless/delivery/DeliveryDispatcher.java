package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.PushMessage;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Works the outbox: every tick, claims the deliveries due by the app clock and sends them, or
 * withdraws the ones no longer needed. A later ladder step goes only while the task is still offered
 * to the person and nothing earlier was read. Push, SMS and voice failures are retried with doubling
 * backoff up to a bound, then recorded as failed with the reason; nothing is sent after its expiry.
 * Texts go through {@link SmsDispatch} together, so the per-number rate limit can bundle them.
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
    TwilioVoice voice;
    @Inject
    Contacts contacts;
    @Inject
    TaskQueries tasks;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    WebPushSender push;
    @Inject
    PushSubscriptions subscriptions;
    @Inject
    ObjectMapper json;

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

    /** One push, call or in-app delivery (texts are batched in {@link #tick()} for the rate limit). */
    private void dispatch(Delivery d) throws java.sql.SQLException {
        Instant now = clock.instant();
        Optional<String> unneeded = whyUnneeded(d, now);
        if (unneeded.isPresent()) {
            outbox.finish(d.id(), DeliveryStatus.WITHDRAWN, unneeded.get(), now, null, null, d.attempts(), d.dueAt());
            return;
        }
        switch (d.channel()) {
            case IN_APP -> {
                // The task is in the person's inbox and on their live feed; "delivered" and "read" come from the app.
                metrics.attempt(d.channel());
                outbox.finish(d.id(), DeliveryStatus.SENT, null, now, null, null, d.attempts() + 1, d.dueAt());
                metrics.latency(d.channel(), d.dueAt(), now);
            }
            case PUSH -> sendPush(d, now);
            case VOICE -> call(d, now);
            case SMS -> throw new IllegalStateException("texts go to SmsDispatch together, from tick()");
        }
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

    /** A call to the person's mobile through Twilio (ADR 0012); a person without one is skipped, with the reason. */
    private void call(Delivery d, Instant now) throws java.sql.SQLException {
        Optional<String> phone = contacts.phoneOf(d.staffId());
        if (!voice.enabled()) {
            fail(d, now, null, "voice channel is not configured", ReasonClass.NOT_CONFIGURED);
            return;
        }
        if (phone.isEmpty()) {
            fail(d, now, null, "no mobile number on record", ReasonClass.NO_ADDRESS);
            return;
        }
        int attempt = d.attempts() + 1;
        metrics.attempt(d.channel());
        try {
            String sid = voice.call(phone.get(), d.id());
            outbox.finish(d.id(), DeliveryStatus.QUEUED, null, clock.instant(), phone.get(), sid, attempt, d.dueAt());
            metrics.latency(d.channel(), d.dueAt(), clock.instant());
        } catch (TwilioSms.Rejected e) {
            metrics.failure(d.channel(), ReasonClass.REJECTED);
            outbox.finish(d.id(), DeliveryStatus.FAILED, e.getMessage(), clock.instant(), phone.get(), null, attempt,
                    d.dueAt());
        } catch (RuntimeException e) {
            metrics.failure(d.channel(), ReasonClass.UNREACHABLE);
            retryOrGiveUp(d, attempt, describe(e), phone.get());
        }
    }

    /**
     * Pushes to every live subscription of the person (ADR 0011). Sent if any push service took it. A
     * subscription answered 404/410 is retired on the spot; when none took it the step fails (the
     * ladder's next step still comes), or, if a push service failed transiently, is retried with the
     * outbox's bounded backoff. A person with no live subscription skips the step.
     */
    private void sendPush(Delivery d, Instant now) throws java.sql.SQLException {
        if (!push.enabled()) {
            fail(d, now, null, "Web Push channel is not configured", ReasonClass.NOT_CONFIGURED);
            return;
        }
        List<PushSubscriptions.PushSubscription> live = subscriptions.live(d.staffId());
        if (live.isEmpty()) {
            outbox.finish(d.id(), DeliveryStatus.WITHDRAWN, "no live push subscription: step skipped", now, null, null,
                    d.attempts(), d.dueAt());
            return;
        }
        int attempt = d.attempts() + 1;
        PushMessage message = PushMessage.of(d.id(), d.notificationId(), d.priority(), d.fyi(), d.kind(),
                referenceData.wardName(d.wardId()), d.ref());
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Duration ttl = Duration.between(now, d.expiresAt());
        String address = live.stream().map(s -> s.id().toString()).collect(java.util.stream.Collectors.joining(","));
        int sent = 0;
        String permanent = null;
        String transientFailure = null;
        for (PushSubscriptions.PushSubscription s : live) {
            metrics.attempt(d.channel());
            try {
                push.send(s, payload, ttl, message.urgency(), message.topic(), now);
                sent++;
            } catch (WebPushSender.Gone e) {
                metrics.failure(d.channel(), ReasonClass.NO_ADDRESS);
                subscriptions.retire(s.id(), e.getMessage(), clock.instant());
                permanent = e.getMessage() + ", retired";
            } catch (WebPushSender.Rejected e) {
                metrics.failure(d.channel(), ReasonClass.REJECTED);
                permanent = e.getMessage();
            } catch (RuntimeException e) {
                metrics.failure(d.channel(), ReasonClass.UNREACHABLE);
                transientFailure = describe(e);
            }
        }
        if (sent > 0) {
            outbox.finish(d.id(), DeliveryStatus.SENT, null, clock.instant(), address, null, attempt, d.dueAt());
            metrics.latency(d.channel(), d.dueAt(), clock.instant());
        } else if (transientFailure == null) {
            outbox.finish(d.id(), DeliveryStatus.FAILED, permanent, clock.instant(), address, null, attempt, d.dueAt());
        } else {
            retryOrGiveUp(d, attempt, transientFailure, address);
        }
    }

    /** A transient failure: back to pending with doubling backoff, or failed once the attempts are spent. */
    void retryOrGiveUp(Delivery d, int attempt, String reason, String address) throws java.sql.SQLException {
        if (attempt >= settings.maxAttempts()) {
            outbox.finish(d.id(), DeliveryStatus.FAILED, "gave up after " + attempt + " attempts: " + reason,
                    clock.instant(), address, null, attempt, d.dueAt());
        } else {
            Instant retryAt = clock.instant().plus(settings.retryBackoff().multipliedBy(1L << (attempt - 1)));
            outbox.finish(d.id(), DeliveryStatus.PENDING, "attempt " + attempt + " failed, retrying: " + reason,
                    clock.instant(), address, null, attempt, retryAt);
        }
    }

    static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void fail(Delivery d, Instant now, String address, String reason, ReasonClass reasonClass)
            throws java.sql.SQLException {
        metrics.failure(d.channel(), reasonClass);
        outbox.finish(d.id(), DeliveryStatus.FAILED, reason, now, address, null, d.attempts(), d.dueAt());
    }
}
