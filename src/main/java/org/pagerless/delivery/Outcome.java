package org.pagerless.delivery;

import java.time.Instant;

import org.pagerless.delivery.model.DeliveryStatus;

/**
 * What became of one claimed delivery, to record with {@link DeliveryClaims#finishAll}: as
 * {@link DeliveryClaims#finish}'s arguments, for outcomes that carry no provider sid (in-app, push, withdrawals,
 * failures before a provider was called).
 */
public record Outcome(Delivery d, DeliveryStatus status, String reason, String address, int attempts,
                      Instant dueAt, Instant unsureSince) {
    /** Withdrawn without an attempt. */
    static Outcome withdrawn(Delivery d, String reason) {
        return new Outcome(d, DeliveryStatus.WITHDRAWN, reason, null, d.attempts(), d.dueAt(), null);
    }

    /** Failed for good without an attempt (the channel is off, no address...). */
    static Outcome failed(Delivery d, String reason, String address) {
        return new Outcome(d, DeliveryStatus.FAILED, reason, address, d.attempts(), d.dueAt(), null);
    }

    /**
     * Attempt {@code attempt} failed transiently: back to pending after the outbox's doubling backoff, or failed
     * once the attempts are spent. {@code unsureSince}: when a provider may have taken it without our knowing.
     */
    static Outcome retryOrGiveUp(Delivery d, int attempt, String reason, String address, Instant unsureSince,
                                 DeliverySettings settings, Instant now) {
        if (attempt >= settings.maxAttempts()) {
            return new Outcome(d, DeliveryStatus.FAILED, "gave up after " + attempt + " attempts: " + reason,
                    address, attempt, d.dueAt(), unsureSince);
        }
        return new Outcome(d, DeliveryStatus.PENDING, "attempt " + attempt + " failed, retrying: " + reason, address,
                attempt, now.plus(settings.retryBackoff().multipliedBy(1L << (attempt - 1))), unsureSince);
    }
}
