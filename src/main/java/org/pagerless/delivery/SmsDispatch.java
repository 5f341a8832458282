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
     * (the caller sends each with {@link #send}, on the SMS channel's workers). Per claim, not per row: still needed
     * (read with the claim), every person's number, confirmation, opt-out and last text (one, {@link Contacts#reach}), the
     * rows that need no text recorded together ({@link DeliveryClaims#finishAll}), and the claims of the pages about
     * to go checked together ({@link DeliveryClaims#held}). Throws (every row's failed attempt) if any of that fails.
     */
    List<Outgoing> plan(List<Delivery> claimed, DeliveryClaims.Claim claim) throws SQLException {
        if (claimed.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<UUID, Delivery> byId = new HashMap<>();
        List<SmsThrottle.Due> due = new ArrayList<>();
        Map<UUID, String> unneeded = stillNeeded.whyNot(claimed, claim, now);
        Optional<String> refused = sms.guard().refusal();
        Map<String, Contacts.Reach> reach = refused.isPresent() ? Map.of()
                : contacts.reach(claimed.stream().filter(d -> !unneeded.containsKey(d.id())).map(Delivery::staffId).toList());
        List<Outcome> settled = new ArrayList<>();
        Map<String, Optional<Instant>> last = new HashMap<>();
        for (Delivery d : claimed) {
            Contacts.Reach to = reach.get(d.staffId());
            Optional<Outcome> stop = PhoneChecks.stop(d, unneeded.get(d.id()), refused, to, metrics);
            String phone = to == null ? null : to.phone();
            if (stop.isPresent()) {
                settled.add(stop.get());
            } else if (to.optedOut()) {
                settled.add(PhoneChecks.failed(d, phone, "this number replied STOP", ReasonClass.OPTED_OUT, metrics));
            } else {
                byId.put(d.id(), d);
                due.add(new SmsThrottle.Due(d.id(), phone, d.priority(), d.dueAt()));
                last.put(phone, to.lastTexted());
            }
        }
        SmsThrottle.Plan plan = throttle.plan(due, last::get, now);
        for (SmsThrottle.Held held : plan.held()) {
            settled.add(held(byId.get(held.page().id()), held.page().phone(), held.until()));
        }
        List<Outgoing> out = new ArrayList<>();
        for (SmsThrottle.Text text : plan.send()) {
            out.add(new Outgoing(text.phone(), text.pages().stream().map(p -> byId.get(p.id())).toList()));
        }
        claims.finishAll(settled, now);
        // Just before the texts go: a page another dispatcher has claimed since (ours ran past the deadline) is theirs.
        java.util.Set<UUID> held = claims.held(out.stream().flatMap(t -> t.pages().stream()).toList());
        List<Outgoing> going = new ArrayList<>(out.size());
        for (Outgoing text : out) {
            if (held.containsAll(text.pages().stream().map(Delivery::id).toList())) {
                going.add(text);
            } else {
                LOG.warnf("delivery %s: claimed by another dispatcher meanwhile; this text is not sent",
                        text.pages().get(0).id());
            }
        }
        return going;
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
        Outcome o = held(d, phone, until);
        claims.finish(d, o.status(), o.reason(), now, phone, null, o.attempts(), until, null);
    }

    /** Back to pending until the number's window ends (no attempt made). */
    private Outcome held(Delivery d, String phone, Instant until) {
        return new Outcome(d, DeliveryStatus.PENDING, "held: at most one text per number every "
                + window.toSeconds() + " s; goes (bundled with any others) when the window ends", phone, d.attempts(),
                until, null);
    }

    private String wardName(Delivery d) {
        return referenceData.wardName(d.wardId());
    }
}
