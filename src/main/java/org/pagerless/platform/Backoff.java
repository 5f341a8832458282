package org.pagerless.platform;

import java.time.Duration;

/** A consumer thread's pause between attempts while something it needs is unavailable: 200 ms, doubling to 5 s. */
final class Backoff {
    private static final Duration FIRST = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(5);

    private Duration next = FIRST;

    /** The pause the next {@link #pause} takes. */
    Duration next() {
        return next;
    }

    /** After a success: the next failure pauses the shortest time again. */
    void reset() {
        next = FIRST;
    }

    /** Sleeps the next pause, then doubles it (up to 5 s). */
    void pause() {
        try {
            Thread.sleep(next.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }
}
