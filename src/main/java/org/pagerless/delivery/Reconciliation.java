package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Settles a text or call whose send outcome we never learnt (the pod died mid-send, the request timed out, the
 * answer was lost) by asking Twilio before anything is sent again, so one attempt never becomes two texts or two
 * calls. Twilio's list of what went to the number since the row became unsure is read: a text naming the page's
 * reference (a call: any call from us) that no other row of the task has recorded is adopted as this row's send;
 * if there is none, the row is put back due at once and goes through the dispatcher like any other. If Twilio
 * cannot be asked, nothing is sent: the row is retried with the outbox's backoff, still unsure.
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

    /** Adopts what Twilio already has for claimed row {@code d}, or puts it back due now; throws if Twilio cannot say. */
    void reconcile(Delivery d) throws SQLException {
        Optional<String> phone = Optional.ofNullable(d.address()).filter(a -> a.startsWith("+"))
                .or(() -> contacts.phoneOf(d.staffId()));
        Instant now = clock.instant();
        Optional<String> found = Optional.empty();
        if (phone.isPresent()) {
            Instant since = onTwilioClock(d.unsureSince()).minus(CLOCK_MARGIN);
            var excluded = claims.sidsOfOtherRows(d);
            found = d.channel() == Channel.SMS ? sms.findText(phone.get(), since, d.ref(), excluded)
                    : voice.findCall(phone.get(), since, excluded);
        }
        if (found.isPresent()) {
            LOG.infof("delivery %s: reconciled, Twilio already had %s; not sent again", d.id(), found.get());
            claims.finish(d, DeliveryStatus.QUEUED, "reconciled: Twilio already had it (" + found.get()
                    + "); not sent again", now, phone.get(), found.get(), d.attempts(), d.dueAt(), null);
        } else {
            claims.finish(d, DeliveryStatus.PENDING, "reconciled: Twilio does not have it; sending", now, null, null,
                    d.attempts(), now, null); // due now: the claims tell the channel's lane
        }
    }

    /**
     * {@code at} on the app clock, as the wall clock (which Twilio's stamps are compared with) read it. They are the
     * same in production; in tests the app clock runs ahead, and moving it further only widens the window.
     */
    private Instant onTwilioClock(Instant at) {
        return at.minus(Duration.between(Instant.now(), clock.instant()));
    }

}
