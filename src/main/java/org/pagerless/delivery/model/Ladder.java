package org.pagerless.delivery.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fallback ladder for one priority: which channels, and after how long unread. The first step
 * goes at once; a later step goes only if, by its time, nothing earlier has been read and the task is
 * still offered to the person. Written as {@code "in-app@0s,sms@2m"}.
 */
public record Ladder(List<Step> steps) {

    /** One rung: this channel, this long after the offer. */
    public record Step(Channel channel, Duration after) {
    }

    public Ladder {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one step");
        }
    }

    /** Parses {@code "in-app@0s,sms@2m"}; durations as {@code 30s}, {@code 2m}, {@code 1h}. */
    public static Ladder parse(String text) {
        List<Step> steps = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] bits = part.trim().split("@");
            Channel channel = Channel.fromCode(bits[0])
                    .orElseThrow(() -> new IllegalArgumentException("unknown channel '" + bits[0].trim() + "'"));
            Duration after = bits.length > 1 ? duration(bits[1]) : Duration.ZERO;
            steps.add(new Step(channel, after));
        }
        return new Ladder(steps);
    }

    private static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        switch (t.charAt(t.length() - 1)) {
            case 's':
                return Duration.ofSeconds(n);
            case 'm':
                return Duration.ofMinutes(n);
            case 'h':
                return Duration.ofHours(n);
            default:
                throw new IllegalArgumentException("duration '" + text + "' must end in s, m or h");
        }
    }
}
