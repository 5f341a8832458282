package org.pagerless.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider's sending allowance (Twilio's messages or calls per second for the account), as a token bucket on the
 * wall clock: the dispatcher claims no more texts or calls than the allowance has room for, so the provider paces
 * them and nothing we send is queued or refused for speed. A burst of one second's allowance may go at once.
 * Zero means no allowance is configured: only the channel's workers bound it.
 */
final class Allowance {
    private final double perSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    Allowance(double perSecond) {
        this.perSecond = perSecond;
        this.tokens = Math.max(1, perSecond);
    }

    boolean limited() {
        return perSecond > 0;
    }

    /** How many may go now. */
    synchronized int available() {
        if (!limited()) {
            return Integer.MAX_VALUE;
        }
        long now = System.nanoTime();
        tokens = Math.min(Math.max(1, perSecond), tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        return (int) Math.floor(tokens);
    }

    /** {@code n} have been claimed. */
    synchronized void take(int n) {
        if (limited()) {
            tokens -= n;
        }
    }

    /** When the next one may go, if the allowance (not the workers) is what holds them back now. */
    synchronized Optional<Duration> untilNext() {
        if (!limited() || tokens >= 1) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9)));
    }
}
