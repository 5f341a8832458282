package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Settles a text or call whose send outcome we never learnt (the pod died mid-send, the request timed out, the
 * answer was lost) by asking Twilio before anything is sent again, so one attempt never becomes two texts or two
 * calls. Twilio's list of what went to the number since the row became unsure (less a margin for the clocks) is read
 * to its end, never cut at a count ({@link TwilioSms#since}). A text is adopted when it names the page's reference
 * and no other row of the task has recorded it (a bundle's text is every page's). A call has no marker of ours in
 * the list, so it is adopted when no row at all has recorded it, the first one created from the attempt's start on
 * (else the last one before it): a call another row placed and recorded is never taken for this row's; one number's
 * calls are reconciled one at a time in a pod, each recorded before the next looks, and never while this pod is
 * placing a call to that number ({@link #oneCallAt}: a call is marked, placed and recorded under the same lock, so
 * at most one of a number's rows can be marked and unrecorded when a pod dies; ADR 0086). Nothing
 * found: the row is put back due at once and goes through the dispatcher like any other. If Twilio cannot be asked or
 * cannot say, nothing is sent: the row is retried with the outbox's backoff, still unsure (ADR 0007, 0068).
 */
@ApplicationScoped
public class Reconciliation {
    private static final Logger LOG = Logger.getLogger(Reconciliation.class);
    /** Twilio stamps its records by its own clock: look this much earlier than our own record of the attempt. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(2);

    @Inject
    DeliveryClaims claims;
    @Inject
    TwilioSms sms;
    @Inject
    TwilioVoice voice;
    @Inject
    Contacts contacts;
    @Inject
    InstantSource clock;
    /** A lock per number whose calls are being placed or reconciled (as many as there are phones on the staff list). */
    private final java.util.concurrent.ConcurrentMap<String, Object> numbers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The lock that a call to {@code phone} is marked, placed and recorded under, and its reconciliation holds while
     * it reads Twilio's list and adopts: one of the number's calls at a time in this pod (ADR 0086).
     */
    Object oneCallAt(String phone) {
        return numbers.computeIfAbsent(phone, k -> new Object());
    }

    /** Adopts what Twilio already has for claimed row {@code d}, or puts it back due now; throws if Twilio cannot say. */
    void reconcile(Delivery d) throws SQLException {
        Optional<String> phone = Optional.ofNullable(d.address()).filter(a -> a.startsWith("+"))
                .or(() -> contacts.phoneOf(d.staffId()));
        Instant now = clock.instant();
        Optional<String> found = Optional.empty();
        if (phone.isPresent()) {
            Instant start = onTwilioClock(d.unsureSince());
            Instant since = start.minus(CLOCK_MARGIN);
            if (d.channel() == Channel.SMS) {
                found = text(sms.textsSince(phone.get(), since), d.ref(), claims.sidsOfOtherRows(d));
            } else {
                // One number's calls are reconciled one at a time in this pod, each recorded before the next reads the
                // list: two unsure rows of one claim (one unsure_since) never both adopt the first call.
                synchronized (oneCallAt(phone.get())) {
                    List<TwilioSms.Listed> calls = voice.callsSince(phone.get(), since);
                    settle(d, phone, now,
                            call(calls, start, claims.recorded(calls.stream().map(TwilioSms.Listed::sid).toList())));
                    return;
                }
            }
        }
        settle(d, phone, now, found);
    }

    private void settle(Delivery d, Optional<String> phone, Instant now, Optional<String> found) throws SQLException {
        if (found.isPresent()) {
            LOG.infof("delivery %s: reconciled, Twilio already had %s; not sent again", d.id(), found.get());
            claims.finish(d, DeliveryStatus.QUEUED, "reconciled: Twilio already had it (" + found.get()
                    + "); not sent again", now, phone.get(), found.get(), d.attempts(), d.dueAt(), null);
        } else {
            claims.finish(d, DeliveryStatus.PENDING, "reconciled: Twilio does not have it; sending", now, null, null,
                    d.attempts(), now, null); // due now: the claims tell the channel's lane
        }
    }

    /** Of Twilio's texts to the number (newest first), the newest naming page reference {@code ref} not {@code excluded}. */
    static Optional<String> text(List<TwilioSms.Listed> texts, String ref, Set<String> excluded) {
        return texts.stream().filter(t -> t.body() != null && t.body().contains("ref " + ref)
                && !excluded.contains(t.sid())).map(TwilioSms.Listed::sid).findFirst();
    }

    /**
     * Of Twilio's calls to the number, those no row has {@code recorded}: the first created at or after the attempt's
     * {@code start} (on Twilio's clock), else the last created before it (within the clock margin the list was read for).
     */
    static Optional<String> call(List<TwilioSms.Listed> calls, Instant start, Set<String> recorded) {
        List<TwilioSms.Listed> free = calls.stream().filter(c -> !recorded.contains(c.sid()))
                .sorted(Comparator.comparing(TwilioSms.Listed::created)).toList();
        return free.stream().filter(c -> !c.created().isBefore(start)).findFirst()
                .or(() -> free.isEmpty() ? Optional.empty() : Optional.of(free.get(free.size() - 1)))
                .map(TwilioSms.Listed::sid);
    }

    /**
     * {@code at} on the app clock, as the wall clock (which Twilio's stamps are compared with) read it. They are the
     * same in production; in tests the app clock runs ahead, and moving it further only widens the window.
     */
    private Instant onTwilioClock(Instant at) {
        return at.minus(Duration.between(Instant.now(), clock.instant()));
    }

}
