package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;

/** Derived ids (ADR 0004) and the time-ordered ones of the delivery outbox's rows (ADR 0082). */
class IdsTest {

    @Example
    void theIdIsTheOffersMillisecondsThenTheNameBasedHashOfItsSeed() {
        // 2026-12-04T18:00:00.123Z is 0x1a24236897b ms; named("notification/in-app") is
        // e84def18-d55e-3498-b7ce-6b7789dcc419: its last 12 + 62 bits follow the time, the version 8.
        assertThat(Ids.named("notification/in-app")).isEqualTo(UUID.fromString("e84def18-d55e-3498-b7ce-6b7789dcc419"));
        assertThat(Ids.timeOrdered(Instant.parse("2026-12-04T18:00:00.123Z"), "notification/in-app"))
                .isEqualTo(UUID.fromString("01a24236-897b-8498-b7ce-6b7789dcc419"));
    }

    @Property
    void theSameSeedAndTimeAlwaysNameTheSameId(@ForAll String seed, @ForAll @LongRange(max = 1L << 47) long millis) {
        Instant at = Instant.ofEpochMilli(millis);
        assertThat(Ids.timeOrdered(at, seed)).isEqualTo(Ids.timeOrdered(at, seed))
                .isEqualTo(Ids.timeOrdered(at, Ids.named(seed)));
        assertThat(Ids.timeOrdered(at, seed).version()).isEqualTo(8);
        assertThat(Ids.timeOrdered(at, seed).variant()).isEqualTo(2);
    }

    @Property
    void aLaterMillisecondSortsAfterAnEarlierOneAsPostgreSqlComparesThem(@ForAll String a, @ForAll String b,
            @ForAll @LongRange(max = 1L << 47) long millis, @ForAll @LongRange(min = 1, max = 86_400_000) long later) {
        UUID first = Ids.timeOrdered(Instant.ofEpochMilli(millis), a);
        UUID second = Ids.timeOrdered(Instant.ofEpochMilli(millis + later), b);
        // PostgreSQL orders uuids by their bytes, unsigned, most significant first.
        assertThat(unsignedCompare(first, second)).isNegative();
    }

    @Property
    void differentSeedsInTheSameMillisecondNameDifferentIds(@ForAll @AlphaChars String a, @ForAll @AlphaChars String b) {
        Instant at = Instant.parse("2026-12-04T18:00:00.123Z");
        assertThat(Ids.timeOrdered(at, a).equals(Ids.timeOrdered(at, b))).isEqualTo(a.equals(b));
    }

    private static int unsignedCompare(UUID x, UUID y) {
        int high = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
    }
}
