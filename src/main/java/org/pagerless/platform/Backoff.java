package org.pagerless.platform;

import java.time.Duration;

/**
 * A consumer thread's pause between attempts while something it needs is unavailable: 200 ms, doubling to 2 s. Once
 * the database or broker is back, the next attempt comes within 2 s (ADR 0093); while it is away, each consumer tries
 * at most every 2 s.
 */
final class Backoff {
    private static final Duration FIRST = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(2);

    private Duration next = FIRST;

    /** The pause the next {@link #pause} takes. */
    Duration next() {
        return next;
    }

    /** After a success: the next failure pauses the shortest time again. */
    void reset() {
        next = FIRST;
    }

    /** Sleeps the next pause, then doubles it (up to {@link #MAX}). */
    void pause() {
        try {
            Thread.sleep(next.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        grow();
    }

    /** Doubles the next pause, up to {@link #MAX}. */
    void grow() {
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }
}
