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
import org.jboss.logging.Logger;
import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.PageText;
import org.pagerless.delivery.model.SmsThrottle;
import org.pagerless.platform.Failures;
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
    private static final Logger LOG = Logger.getLogger(SmsDispatch.class);
    static final String BUNDLED = "bundled";

    @Inject
    DeliveryClaims claims;
    @Inject
    SmsOptOuts optOuts;
    @Inject
    DeliverySettings settings;
    @Inject
    DeliveryFailures failures;
    @Inject
    StillNeeded stillNeeded;
    @Inject
    TwilioSms sms;
    @Inject
    Contacts contacts;
    @Inject
    PhoneConfirmations confirmations;
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

    /** One text to send: the number and the claimed pages it covers (several when bundled). */
    record Outgoing(String phone, List<Delivery> pages) {
    }

    /**
     * Withdraws, fails or holds each of these claimed SMS deliveries as needed, and says which texts to send
     * (the caller sends each with {@link #send}, on the SMS channel's workers). A row whose checks throw is that
     * row's failed attempt; the others go on.
     */
    List<Outgoing> plan(List<Delivery> claimed) throws SQLException {
        if (claimed.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<UUID, Delivery> byId = new HashMap<>();
        List<SmsThrottle.Due> due = new ArrayList<>();
        Map<UUID, String> unneeded = stillNeeded.whyNot(claimed, now); // throws: every row's failed attempt
        for (Delivery d : claimed) {
            failures.isolated(d, () -> {
                if (unneeded.containsKey(d.id())) {
                    claims.withdraw(d, unneeded.get(d.id()), now);
                    return;
                }
                Optional<String> refused = sms.guard().refusal();
                Optional<String> phone = refused.isPresent() ? Optional.empty() : contacts.phoneOf(d.staffId());
                if (refused.isPresent()) {
                    fail(d, now, null, refused.get(), ReasonClass.NOT_CONFIGURED);
                } else if (phone.isEmpty()) {
                    fail(d, now, null, "no mobile number on record", ReasonClass.NO_ADDRESS);
                } else if (!confirmations.confirmed(d.staffId(), phone.get())) {
                    fail(d, now, phone.get(), PhoneConfirmations.NOT_CONFIRMED, ReasonClass.NOT_CONFIRMED);
                } else if (optOuts.optedOut(phone.get())) {
                    fail(d, now, phone.get(), "this number replied STOP", ReasonClass.OPTED_OUT);
                } else {
                    byId.put(d.id(), d);
                    due.add(new SmsThrottle.Due(d.id(), phone.get(), d.priority(), d.dueAt()));
                }
            });
        }
        Map<String, Optional<Instant>> last = new HashMap<>();
        for (SmsThrottle.Due d : due) {
            if (!last.containsKey(d.phone())) {
                last.put(d.phone(), rate.lastTexted(d.phone()));
            }
        }
        SmsThrottle.Plan plan = throttle.plan(due, last::get, now);
        for (SmsThrottle.Held held : plan.held()) {
            Delivery d = byId.get(held.page().id());
            failures.isolated(d, () -> hold(d, held.page().phone(), held.until(), now));
        }
        List<Outgoing> out = new ArrayList<>();
        for (SmsThrottle.Text text : plan.send()) {
            out.add(new Outgoing(text.phone(), text.pages().stream().map(p -> byId.get(p.id())).toList()));
        }
        return out;
    }

    /** Sends one text and records it on each of its pages; never throws (a failure is each page's failed attempt). */
    void send(Outgoing text) {
        try {
            sendText(text);
        } catch (Exception | LinkageError e) {
            text.pages().forEach(d -> failures.failedToDispatch(d, e));
        }
    }

    private void sendText(Outgoing text) throws SQLException {
        List<Delivery> pages = text.pages();
        boolean stat = pages.size() == 1 && "stat".equals(pages.get(0).priority());
        Instant now = clock.instant();
        for (Delivery d : pages) {
            if (!claims.holds(d)) {
                // Another dispatcher has claimed a page of it since (ours ran past the deadline): theirs to send.
                LOG.warnf("delivery %s: claimed by another dispatcher meanwhile; this text is not sent", d.id());
                return;
            }
        }
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
            body = PageText.sms(d.priority(), d.fyi(), d.kind(), wardName(d), d.ref(), d.callback());
        } else {
            body = PageText.bundle(pages.stream()
                    .map(d -> new PageText.Line(d.priority(), d.fyi(), d.kind(), wardName(d), d.ref(), d.callback())).toList());
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
                claims.finish(d, DeliveryStatus.QUEUED, note, at, text.phone(), sid, d.attempts() + 1, d.dueAt(), null);
                metrics.latency(Channel.SMS, d.dueAt(), at);
            }
        } catch (TwilioSms.Rejected e) {
            for (Delivery d : pages) {
                metrics.failure(Channel.SMS, ReasonClass.REJECTED);
                claims.finish(d, DeliveryStatus.FAILED, e.getMessage(), clock.instant(), text.phone(), null,
                        d.attempts() + 1, d.dueAt(), null);
            }
        } catch (RuntimeException e) {
            if (!stat) {
                rate.release(text.phone(), now);
            }
            // Twilio may have taken it (a timeout, a lost answer): each page is reconciled before it goes again.
            String reason = Failures.describe(e);
            for (Delivery d : pages) {
                metrics.failure(Channel.SMS, ReasonClass.UNREACHABLE);
                failures.retryOrGiveUp(d, d.attempts() + 1, reason, text.phone(), now);
            }
        }
    }

    private void hold(Delivery d, String phone, Instant until, Instant now) throws SQLException {
        claims.finish(d, DeliveryStatus.PENDING, "held: at most one text per number every " + window.toSeconds()
                + " s; goes (bundled with any others) when the window ends", now, phone, null, d.attempts(), until,
                null);
    }

    private void fail(Delivery d, Instant now, String phone, String reason, ReasonClass reasonClass) throws SQLException {
        metrics.failure(Channel.SMS, reasonClass);
        claims.finish(d, DeliveryStatus.FAILED, reason, now, phone, null, d.attempts(), d.dueAt(), null);
    }

    private String wardName(Delivery d) {
        return referenceData.wardName(d.wardId());
    }
}
