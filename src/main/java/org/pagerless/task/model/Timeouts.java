package org.pagerless.task.model;

import java.time.Duration;
import java.util.Objects;


/** A duration for each priority: how long a step waits for an accept, or an owner has to start or finish. */
public record Timeouts(Duration stat, Duration asap, Duration urgent, Duration routine) {

    /** How long an offer waits for someone to accept before the chain moves on (DESIGN §4). */
    public static final Timeouts ACCEPT = minutes(2, 5, 10, 30);
    /** How long an owner has, after accepting, to start the work before they are reminded. */
    public static final Timeouts START = minutes(5, 15, 30, 120);
    /** How long an owner has, after starting, to complete the work before they are reminded. */
    public static final Timeouts COMPLETE = minutes(60, 120, 240, 480);

    public Timeouts {
        Objects.requireNonNull(stat, "stat");
        Objects.requireNonNull(asap, "asap");
        Objects.requireNonNull(urgent, "urgent");
        Objects.requireNonNull(routine, "routine");
    }

    public static Timeouts minutes(long stat, long asap, long urgent, long routine) {
        return new Timeouts(Duration.ofMinutes(stat), Duration.ofMinutes(asap), Duration.ofMinutes(urgent),
                Duration.ofMinutes(routine));
    }

    public Duration of(Priority priority) {
        if (priority == Priority.STAT) {
            return stat;
        }
        if (priority == Priority.ASAP) {
            return asap;
        }
        if (priority == Priority.URGENT) {
            return urgent;
        }
        return routine;
    }

    /** The first priority whose duration is not positive, if any. */
    Priority firstNotPositive() {
        for (Priority p : Priority.values()) {
            if (of(p).isNegative() || of(p).isZero()) {
                return p;
            }
        }
        return null;
    }
}
