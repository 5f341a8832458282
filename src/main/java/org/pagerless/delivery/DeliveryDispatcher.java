package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.PageText;
import org.pagerless.delivery.model.PushMessage;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Works the outbox: every tick, claims the deliveries due by the app clock and sends them, or
 * withdraws the ones no longer needed. A later ladder step goes only while the task is still offered
 * to the person and nothing earlier was read. Push, SMS and voice failures are retried with doubling
 * backoff up to a bound, then recorded as failed with the reason; nothing is sent after its expiry.
 */
@ApplicationScoped
public class DeliveryDispatcher {
    private static final Logger LOG = Logger.getLogger(DeliveryDispatcher.class);

    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliverySettings settings;
    @Inject
    TwilioSms sms;
    @Inject
    TwilioVoice voice;
    @Inject
    TaskQueries tasks;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;
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
            for (Delivery d : due) {
                dispatch(d);
            }
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
            // The task is in the person's inbox and on their live feed; "read" comes from the app.
            count("attempts", d.channel());
            outbox.finish(d.id(), DeliveryStatus.SENT, null, now, null, null, d.attempts() + 1, d.dueAt());
            latency(d, now);
            return;
        }
        if (d.channel() == Channel.PUSH) {
            sendPush(d, now);
            return;
        }
        sendToPhone(d, now);
    }

    private Optional<String> whyUnneeded(Delivery d, Instant now) throws java.sql.SQLException {
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

    /** A text or a call to the person's mobile through Twilio; a person without one is skipped, with the reason. */
    private void sendToPhone(Delivery d, Instant now) throws java.sql.SQLException {
        Optional<String> phone = referenceData.phoneOf(d.staffId());
        boolean call = d.channel() == Channel.VOICE;
        String failure = null;
        if (call ? !voice.enabled() : !sms.enabled()) {
            failure = (call ? "voice" : "SMS") + " channel is not configured";
        } else if (phone.isEmpty()) {
            failure = "no mobile number on record";
        } else if (!call && outbox.optedOut(phone.get())) {
            failure = "this number replied STOP";
        }
        if (failure != null) {
            count("failures", d.channel());
            outbox.finish(d.id(), DeliveryStatus.FAILED, failure, now, phone.orElse(null), null, d.attempts(), d.dueAt());
            return;
        }
        int attempt = d.attempts() + 1;
        count("attempts", d.channel());
        try {
            String sid = call ? voice.call(phone.get(), d.id()) : sms.send(phone.get(), smsBody(d), smsValidity(d, now));
            outbox.finish(d.id(), DeliveryStatus.QUEUED, null, clock.instant(), phone.get(), sid, attempt, d.dueAt());
            latency(d, clock.instant());
        } catch (TwilioSms.Rejected e) {
            count("failures", d.channel());
            outbox.finish(d.id(), DeliveryStatus.FAILED, e.getMessage(), clock.instant(), phone.get(), null, attempt,
                    d.dueAt());
        } catch (RuntimeException e) {
            count("failures", d.channel());
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (attempt >= settings.maxAttempts()) {
                outbox.finish(d.id(), DeliveryStatus.FAILED, "gave up after " + attempt + " attempts: " + reason,
                        clock.instant(), phone.get(), null, attempt, d.dueAt());
            } else {
                Instant retryAt = clock.instant().plus(settings.retryBackoff().multipliedBy(1L << (attempt - 1)));
                outbox.finish(d.id(), DeliveryStatus.PENDING, "attempt " + attempt + " failed, retrying: " + reason,
                        clock.instant(), phone.get(), null, attempt, retryAt);
            }
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
            count("failures", d.channel());
            outbox.finish(d.id(), DeliveryStatus.FAILED, "Web Push channel is not configured", now, null, null,
                    d.attempts(), d.dueAt());
            return;
        }
        List<PushSubscriptions.PushSubscription> live = subscriptions.live(d.staffId());
        if (live.isEmpty()) {
            outbox.finish(d.id(), DeliveryStatus.WITHDRAWN, "no live push subscription: step skipped", now, null, null,
                    d.attempts(), d.dueAt());
            return;
        }
        int attempt = d.attempts() + 1;
        PushMessage message = PushMessage.of(d.id(), d.notificationId(), d.priority(), d.fyi(), d.kind(), wardName(d),
                d.ref());
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
            count("attempts", d.channel());
            try {
                push.send(s, payload, ttl, message.urgency(), message.topic(), now);
                sent++;
            } catch (WebPushSender.Gone e) {
                count("failures", d.channel());
                subscriptions.retire(s.id(), e.getMessage(), clock.instant());
                permanent = e.getMessage() + ", retired";
            } catch (WebPushSender.Rejected e) {
                count("failures", d.channel());
                permanent = e.getMessage();
            } catch (RuntimeException e) {
                count("failures", d.channel());
                transientFailure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        if (sent > 0) {
            outbox.finish(d.id(), DeliveryStatus.SENT, null, clock.instant(), address, null, attempt, d.dueAt());
            latency(d, clock.instant());
        } else if (transientFailure == null) {
            outbox.finish(d.id(), DeliveryStatus.FAILED, permanent, clock.instant(), address, null, attempt, d.dueAt());
        } else if (attempt >= settings.maxAttempts()) {
            outbox.finish(d.id(), DeliveryStatus.FAILED, "gave up after " + attempt + " attempts: " + transientFailure,
                    clock.instant(), address, null, attempt, d.dueAt());
        } else {
            Instant retryAt = clock.instant().plus(settings.retryBackoff().multipliedBy(1L << (attempt - 1)));
            outbox.finish(d.id(), DeliveryStatus.PENDING, "attempt " + attempt + " failed, retrying: " + transientFailure,
                    clock.instant(), address, null, attempt, retryAt);
        }
    }

    private String smsBody(Delivery d) {
        return PageText.sms(d.priority(), d.fyi(), d.kind(), wardName(d), d.ref());
    }

    private String wardName(Delivery d) {
        return d.wardId() == null ? null
                : referenceData.hospital().ward(d.wardId()).map(w -> w.name()).orElse(d.wardId());
    }

    private Duration smsValidity(Delivery d, Instant now) {
        Duration left = Duration.between(now, d.expiresAt());
        return left.compareTo(settings.smsValidity()) < 0 ? left : settings.smsValidity();
    }

    private void count(String what, Channel channel) {
        registry.counter("pagerless.delivery." + what, "channel", channel.code()).increment();
    }

    private void latency(Delivery d, Instant handedOver) {
        registry.timer("pagerless.delivery.latency", "channel", d.channel().code())
                .record(Duration.between(d.dueAt(), handedOver).isNegative() ? Duration.ZERO
                        : Duration.between(d.dueAt(), handedOver));
    }
}
