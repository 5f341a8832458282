package org.pagerless.intake;

import java.time.Duration;
import java.time.Instant;

/**
 * A budget of {@code capacity} requests per {@code period}, refilled continuously: the pure rule behind the raise
 * limits, with {@code now} passed in. A clock that went backwards (tests, a corrected host clock) refills the
 * bucket rather than locking anyone out.
 */
record TokenBucket(double tokens, Instant at) {

    /** The outcome of asking for one request. */
    record Take(boolean allowed, TokenBucket after, Duration retryAfter) {
    }

    static TokenBucket full(int capacity, Instant now) {
        return new TokenBucket(capacity, now);
    }

    TokenBucket refilled(int capacity, Duration period, Instant now) {
        if (now.isBefore(at)) {
            return full(capacity, now);
        }
        double refill = capacity * (double) Duration.between(at, now).toMillis() / Math.max(1, period.toMillis());
        return new TokenBucket(Math.min(capacity, tokens + refill), now);
    }

    Take take(int capacity, Duration period, Instant now) {
        TokenBucket current = refilled(capacity, period, now);
        if (current.tokens >= 1) {
            return new Take(true, new TokenBucket(current.tokens - 1, now), Duration.ZERO);
        }
        long waitMillis = (long) Math.ceil((1 - current.tokens) * period.toMillis() / capacity);
        return new Take(false, current, Duration.ofMillis(waitMillis));
    }
}
