package org.pagerless.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Ids derived from what they name, so that handling the same thing twice (a retried request, a redelivered webhook, a
 * record read again) names the same command, task or row, and applying it twice is a no-op (ADR 0004). A derived id is
 * a name-based UUID (version 3) of its seed, or for the delivery outbox's rows that hash after the time it names
 * ({@link #timeOrdered}, ADR 0082): the seed of an id already in use must never change.
 */
public final class Ids {
    private Ids() {
    }

    /** The id named {@code kind:part:part...}, e.g. {@code derived("raise", taskId)} for "raise:&lt;taskId&gt;". */
    public static UUID derived(String kind, Object... parts) {
        return named(kind + Arrays.stream(parts).map(p -> ":" + p).collect(Collectors.joining()));
    }

    /** The id named by {@code seed} exactly, for seeds that are not {@code kind:part...}. */
    public static UUID named(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The id named by {@code seed} and the time {@code at}, which sorts by {@code at} to the millisecond: 48 bits of its
     * epoch milliseconds, then 74 bits of the name-based hash of {@code seed} (an RFC 9562 version 8 UUID). The same
     * seed and time always give the same id. Rows keyed by it are added at the end of their indexes rather than on a
     * random page of each: after a checkpoint PostgreSQL writes a whole page to its log the first time a page changes,
     * so random keys in a large table cost a page of log per row (ADR 0082).
     */
    public static UUID timeOrdered(Instant at, String seed) {
        return timeOrdered(at, named(seed));
    }

    /** As {@link #timeOrdered(Instant, String)}, from the seed's name-based hash ({@link #named}) already made. */
    public static UUID timeOrdered(Instant at, UUID hash) {
        long high = at.toEpochMilli() << 16 | 0x8000L | hash.getMostSignificantBits() & 0x0FFFL;
        long low = hash.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
