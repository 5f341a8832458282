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
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskStatus;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Works the outbox: every tick, claims the deliveries due by the app clock and sends them, or
 * withdraws the ones no longer needed. A later ladder step goes only while the task is still offered
 * to the person and nothing earlier was read. SMS and voice failures are retried with doubling backoff up
 * to a bound, then recorded as failed with the reason; nothing is sent after its expiry.
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

    private String smsBody(Delivery d) {
        String ward = d.wardId() == null ? null
                : referenceData.hospital().ward(d.wardId()).map(w -> w.name()).orElse(d.wardId());
        return PageText.sms(d.priority(), d.fyi(), d.kind(), ward, d.ref());
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
