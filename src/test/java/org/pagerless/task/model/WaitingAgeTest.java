package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.WaitingAge.Waiting;

class WaitingAgeTest {
    static final Instant NOW = Instant.parse("2026-03-10T03:00:00Z");

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    @Test
    void eachBandTakesItsLowerBoundAndNotItsUpperOne() {
        assertThat(WaitingAge.of(NOW, NOW)).isEqualTo(WaitingAge.UNDER_1M);
        assertThat(WaitingAge.of(ago(Duration.ofSeconds(59)), NOW)).isEqualTo(WaitingAge.UNDER_1M);
        assertThat(WaitingAge.of(ago(Duration.ofMinutes(1)), NOW)).isEqualTo(WaitingAge.FROM_1M_TO_5M);
        assertThat(WaitingAge.of(ago(Duration.ofMinutes(5)), NOW)).isEqualTo(WaitingAge.FROM_5M_TO_15M);
        assertThat(WaitingAge.of(ago(Duration.ofMinutes(15)), NOW)).isEqualTo(WaitingAge.FROM_15M_TO_1H);
        assertThat(WaitingAge.of(ago(Duration.ofMinutes(59)), NOW)).isEqualTo(WaitingAge.FROM_15M_TO_1H);
        assertThat(WaitingAge.of(ago(Duration.ofHours(1)), NOW)).isEqualTo(WaitingAge.OVER_1H);
        assertThat(WaitingAge.of(ago(Duration.ofDays(3)), NOW)).isEqualTo(WaitingAge.OVER_1H);
    }

    @Test
    void aRaiseTimeAheadOfTheClockCountsAsJustRaised() {
        assertThat(WaitingAge.of(NOW.plusSeconds(30), NOW)).isEqualTo(WaitingAge.UNDER_1M);
    }

    @Test
    void countsHaveEveryPriorityAndBandSoAGaugeDropsToZeroWhenItsTasksAreAccepted() {
        Map<Priority, Map<WaitingAge, Integer>> counts = WaitingAge.count(List.of(
                new Waiting(Priority.STAT, ago(Duration.ofMinutes(2))),
                new Waiting(Priority.STAT, ago(Duration.ofMinutes(3))),
                new Waiting(Priority.STAT, ago(Duration.ofSeconds(10))),
                new Waiting(Priority.ROUTINE, ago(Duration.ofHours(2)))), NOW);
        assertThat(counts).containsOnlyKeys(Priority.values());
        counts.values().forEach(bands -> assertThat(bands).containsOnlyKeys(WaitingAge.values()));
        assertThat(counts.get(Priority.STAT)).containsEntry(WaitingAge.FROM_1M_TO_5M, 2)
                .containsEntry(WaitingAge.UNDER_1M, 1).containsEntry(WaitingAge.OVER_1H, 0);
        assertThat(counts.get(Priority.ROUTINE)).containsEntry(WaitingAge.OVER_1H, 1);
        assertThat(counts.get(Priority.URGENT).values()).containsOnly(0);
        assertThat(WaitingAge.count(List.of(), NOW).get(Priority.STAT).values()).containsOnly(0);
    }

    @Test
    void theTagsAreFixedAndDistinct() {
        assertThat(WaitingAge.values()).extracting(WaitingAge::tag)
                .containsExactly("0-1m", "1-5m", "5-15m", "15-60m", "60m+");
    }
}
