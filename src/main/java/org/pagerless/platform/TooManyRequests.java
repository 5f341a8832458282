package org.pagerless.platform;

import java.time.Duration;

/** A limit was reached: answered 429 problem+json with {@code Retry-After} (whole seconds, at least 1). */
public class TooManyRequests extends ProblemException {
    private final Duration retryAfter;

    public TooManyRequests(String detail, Duration retryAfter) {
        super(429, "Too many requests", detail);
        this.retryAfter = retryAfter;
    }

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
