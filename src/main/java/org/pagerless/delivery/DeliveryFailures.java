package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;

import org.jboss.logging.Logger;
import org.pagerless.delivery.model.Channel;
import org.pagerless.platform.Failures;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What happens to a claimed row whose attempt failed, for every channel's dispatch: retried with the outbox's backoff,
 * then failed once its attempts are spent. Its own bean so that the dispatcher and {@link SmsDispatch} both use it
 * without depending on each other.
 */
@ApplicationScoped
public class DeliveryFailures {
    private static final Logger LOG = Logger.getLogger(DeliveryFailures.class);

    @Inject
    DeliveryClaims claims;
    @Inject
    DeliverySettings settings;
    @Inject
    InstantSource clock;

    /**
     * A transient failure: back to pending with doubling backoff, or failed once the attempts are spent.
     * {@code unsureSince}: when a provider may have taken it without our knowing (null if it cannot have).
     */
    void retryOrGiveUp(Delivery d, int attempt, String reason, String address, Instant unsureSince)
            throws SQLException {
        Instant now = clock.instant();
        Outcome o = Outcome.retryOrGiveUp(d, attempt, reason, address, unsureSince,
                settings, now);
        claims.finish(d, o.status(), o.reason(), now, address, null, attempt, o.dueAt(), unsureSince);
    }

    /** Work on one row that must not stop the others: whatever it throws is that row's failed attempt. */
    interface RowWork {
        void run() throws Exception;
    }

    void isolated(Delivery d, RowWork work) {
        try {
            work.run();
        } catch (Exception | LinkageError e) {
            failedToDispatch(d, e);
        }
    }

    /**
     * A row whose handling threw: retried with backoff like any failed attempt (for a text or call, as unsure: the
     * failure may have come after Twilio took it). If even that cannot be recorded (the database is down), the row
     * stays claimed until its sending deadline and is claimed again then.
     */
    void failedToDispatch(Delivery d, Throwable e) {
        String why = Failures.describe(e);
        LOG.warnf("delivery %s (%s): dispatch failed, retrying with backoff: %s", d.id(), d.channel().code(), why);
        boolean twilio = d.channel() == Channel.SMS || d.channel() == Channel.VOICE;
        try {
            retryOrGiveUp(d, d.attempts() + 1, why, null, twilio ? d.updatedAt() : null);
        } catch (SQLException | RuntimeException again) {
            LOG.warnf("delivery %s: the failure could not be recorded either (%s); claimed again after the deadline",
                    d.id(), Failures.describe(again));
        }
    }

}
