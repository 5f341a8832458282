package org.pagerless.task.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How long an open task has waited for someone to accept it, in the bands the dashboard shows (metric tag
 * {@code age}). The bands are fixed, so the gauge's series are too.
 */
public enum WaitingAge {
    UNDER_1M("0-1m", Duration.ofMinutes(1)),
    FROM_1M_TO_5M("1-5m", Duration.ofMinutes(5)),
    FROM_5M_TO_15M("5-15m", Duration.ofMinutes(15)),
    FROM_15M_TO_1H("15-60m", Duration.ofHours(1)),
    OVER_1H("60m+", null);

    private final String tag;
    private final Duration below;

    WaitingAge(String tag, Duration below) {
        this.tag = tag;
        this.below = below;
    }

    /** The metric tag, e.g. {@code "1-5m"}. */
    public String tag() {
        return tag;
    }

    /** The band of a task raised at {@code raisedAt}, at {@code now}; a raise time ahead of {@code now} is new. */
    public static WaitingAge of(Instant raisedAt, Instant now) {
        Duration waited = Duration.between(raisedAt, now);
        for (WaitingAge band : values()) {
            if (band.below == null || waited.compareTo(band.below) < 0) {
                return band;
            }
        }
        throw new AssertionError("the last band has no upper bound");
    }

    /**
     * The raise times that start each band with an upper bound, newest first, at {@code now}: a task raised after
     * the first is {@link #UNDER_1M}, after the second {@link #FROM_1M_TO_5M}, and so on; one raised at or before
     * the last is {@link #OVER_1H}. The cut-offs {@link #of} draws, for a count made where the tasks are.
     */
    public static List<Instant> raisedAfter(Instant now) {
        List<Instant> cutOffs = new ArrayList<>();
        for (WaitingAge band : values()) {
            if (band.below != null) {
                cutOffs.add(now.minus(band.below));
            }
        }
        return cutOffs;
    }

    /** Every priority and band at 0: the counts before any waiting task is added, so a gauge drops to zero. */
    public static Map<Priority, Map<WaitingAge, Integer>> none() {
        Map<Priority, Map<WaitingAge, Integer>> counts = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            Map<WaitingAge, Integer> bands = new EnumMap<>(WaitingAge.class);
            for (WaitingAge band : values()) {
                bands.put(band, 0);
            }
            counts.put(p, bands);
        }
        return counts;
    }
}
