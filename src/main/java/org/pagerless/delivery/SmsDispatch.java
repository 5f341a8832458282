package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.PageText;
import org.pagerless.delivery.model.SmsThrottle;
import org.pagerless.rota.ReferenceData;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sends the texts the dispatcher claimed, under the per-number rate limit: {@link SmsThrottle} decides
 * (stat at once and alone; others at most one text per number per window, several due together bundled
 * into one text), this class does the I/O. A held page goes back to {@code pending} with the time its
 * window ends; a bundle's rows all get the same message sid and the history note "bundled".
 */
@ApplicationScoped
public class SmsDispatch {
    static final String BUNDLED = "bundled";

    @Inject
    DeliveryOutbox outbox;
    @Inject
    DeliverySettings settings;
    @Inject
    DeliveryDispatcher dispatcher;
    @Inject
    TwilioSms sms;
    @Inject
    Contacts contacts;
    @Inject
    SmsRate rate;
    @Inject
    ReferenceData referenceData;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    InstantSource clock;

    /** At most one text per number in this window (stat pages excepted); 0s turns the limit off. */
    @ConfigProperty(name = "pagerless.delivery.sms.rate-window", defaultValue = "30s")
    Duration window;

    private SmsThrottle throttle;

    @PostConstruct
    void init() {
        throttle = new SmsThrottle(window);
    }

    /** Sends, bundles, holds, withdraws or fails each of these claimed SMS deliveries. */
    void dispatch(List<Delivery> claimed) throws SQLException {
        if (claimed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<UUID, Delivery> byId = new HashMap<>();
        List<SmsThrottle.Due> due = new ArrayList<>();
        for (Delivery d : claimed) {
            Optional<String> unneeded = dispatcher.whyUnneeded(d, now);
            if (unneeded.isPresent()) {
                outbox.finish(d.id(), DeliveryStatus.WITHDRAWN, unneeded.get(), now, null, null, d.attempts(), d.dueAt());
                continue;
            }
            Optional<String> phone = contacts.phoneOf(d.staffId());
            if (!sms.enabled()) {
                fail(d, now, null, "SMS channel is not configured", ReasonClass.NOT_CONFIGURED);
            } else if (phone.isEmpty()) {
                fail(d, now, null, "no mobile number on record", ReasonClass.NO_ADDRESS);
            } else if (outbox.optedOut(phone.get())) {
                fail(d, now, phone.get(), "this number replied STOP", ReasonClass.OPTED_OUT);
            } else {
                byId.put(d.id(), d);
                due.add(new SmsThrottle.Due(d.id(), phone.get(), d.priority(), d.dueAt()));
            }
        }
        Map<String, Optional<Instant>> last = new HashMap<>();
        for (SmsThrottle.Due d : due) {
            if (!last.containsKey(d.phone())) {
                last.put(d.phone(), rate.lastTexted(d.phone()));
            }
        }
        SmsThrottle.Plan plan = throttle.plan(due, last::get, now);
        for (SmsThrottle.Held held : plan.held()) {
            hold(byId.get(held.page().id()), held.page().phone(), held.until(), now);
        }
        for (SmsThrottle.Text text : plan.send()) {
            send(text, byId);
        }
    }

    private void send(SmsThrottle.Text text, Map<UUID, Delivery> byId) throws SQLException {
        List<Delivery> pages = text.pages().stream().map(p -> byId.get(p.id())).toList();
        boolean stat = pages.size() == 1 && "stat".equals(pages.get(0).priority());
        Instant now = clock.instant();
        if (stat) {
            rate.force(text.phone(), now);
        } else if (!rate.take(text.phone(), now, window)) {
            // Another dispatcher texted this number a moment ago: wait for its window like the others.
            Instant until = rate.lastTexted(text.phone()).map(t -> t.plus(window)).orElse(now.plus(window));
            for (Delivery d : pages) {
                hold(d, text.phone(), until, now);
            }
            return;
        }
        String body;
        if (pages.size() == 1) {
            Delivery d = pages.get(0);
            body = PageText.sms(d.priority(), d.fyi(), d.kind(), wardName(d), d.ref());
        } else {
            body = PageText.bundle(pages.stream()
                    .map(d -> new PageText.Line(d.priority(), d.fyi(), d.kind(), wardName(d), d.ref())).toList());
        }
        // The carrier drops it unsent once the first of its pages would be stale.
        Duration validity = settings.smsValidity();
        for (Delivery d : pages) {
            Duration left = Duration.between(now, d.expiresAt());
            validity = left.compareTo(validity) < 0 ? left : validity;
        }
        pages.forEach(d -> metrics.attempt(Channel.SMS));
        String note = pages.size() > 1 ? BUNDLED + ": " + pages.size() + " pages in one text" : null;
        try {
            String sid = sms.send(text.phone(), body, validity);
            Instant at = clock.instant();
            for (Delivery d : pages) {
                outbox.finish(d.id(), DeliveryStatus.QUEUED, note, at, text.phone(), sid, d.attempts() + 1, d.dueAt());
                metrics.latency(Channel.SMS, d.dueAt(), at);
            }
        } catch (TwilioSms.Rejected e) {
            for (Delivery d : pages) {
                metrics.failure(Channel.SMS, ReasonClass.REJECTED);
                outbox.finish(d.id(), DeliveryStatus.FAILED, e.getMessage(), clock.instant(), text.phone(), null,
                        d.attempts() + 1, d.dueAt());
            }
        } catch (RuntimeException e) {
            if (!stat) {
                rate.release(text.phone(), now);
            }
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            for (Delivery d : pages) {
                metrics.failure(Channel.SMS, ReasonClass.UNREACHABLE);
                int attempt = d.attempts() + 1;
                if (attempt >= settings.maxAttempts()) {
                    outbox.finish(d.id(), DeliveryStatus.FAILED, "gave up after " + attempt + " attempts: " + reason,
                            clock.instant(), text.phone(), null, attempt, d.dueAt());
                } else {
                    Instant retryAt = clock.instant().plus(settings.retryBackoff().multipliedBy(1L << (attempt - 1)));
                    outbox.finish(d.id(), DeliveryStatus.PENDING, "attempt " + attempt + " failed, retrying: " + reason,
                            clock.instant(), text.phone(), null, attempt, retryAt);
                }
            }
        }
    }

    private void hold(Delivery d, String phone, Instant until, Instant now) throws SQLException {
        outbox.finish(d.id(), DeliveryStatus.PENDING, "held: at most one text per number every " + window.toSeconds()
                + " s; goes (bundled with any others) when the window ends", now, phone, null, d.attempts(), until);
    }

    private void fail(Delivery d, Instant now, String phone, String reason, ReasonClass reasonClass) throws SQLException {
        metrics.failure(Channel.SMS, reasonClass);
        outbox.finish(d.id(), DeliveryStatus.FAILED, reason, now, phone, null, d.attempts(), d.dueAt());
    }

    private String wardName(Delivery d) {
        return referenceData.wardName(d.wardId());
    }
}
