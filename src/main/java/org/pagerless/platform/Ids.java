package org.pagerless.platform;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Ids derived from what they name, so that handling the same thing twice (a retried request, a redelivered webhook, a
 * record read again) names the same command, task or row, and applying it twice is a no-op (ADR 0004). A derived id is
 * a name-based UUID (version 3) of its seed: the seed of an id already in use must never change.
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
}
