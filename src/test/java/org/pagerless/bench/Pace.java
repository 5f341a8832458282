package org.pagerless.bench;

import java.util.concurrent.locks.LockSupport;

/** An open-loop schedule: send number {@code i} is due at {@code start + i × interval}, whatever became of the others. */
final class Pace {
    private Pace() {
    }

    /** Waits until send {@code i} is due (at once if it is already late). Times in {@link System#nanoTime} nanoseconds. */
    static void until(long start, int i, long intervalNanos) {
        long wait = start + i * intervalNanos - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
