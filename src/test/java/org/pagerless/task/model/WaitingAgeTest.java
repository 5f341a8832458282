package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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

    /** The band a count on the cut-offs puts a task raised at {@code raisedAt} in: the first cut-off it is after. */
    static WaitingAge byCutOffs(Instant raisedAt, List<Instant> cutOffs) {
        for (int i = 0; i < cutOffs.size(); i++) {
            if (raisedAt.isAfter(cutOffs.get(i))) {
                return WaitingAge.values()[i];
            }
        }
        return WaitingAge.OVER_1H;
    }

    @Test
    void theCutOffsPutEveryTaskInTheBandOfPutsItIncludingOnEachEdge() {
        List<Instant> cutOffs = WaitingAge.raisedAfter(NOW);
        assertThat(cutOffs).containsExactly(ago(Duration.ofMinutes(1)), ago(Duration.ofMinutes(5)),
                ago(Duration.ofMinutes(15)), ago(Duration.ofHours(1)));
        for (Instant edge : cutOffs) {
            for (Instant raised : List.of(edge.minusNanos(1_000), edge, edge.plusNanos(1_000))) {
                assertThat(byCutOffs(raised, cutOffs)).as("raised %s", raised).isEqualTo(WaitingAge.of(raised, NOW));
            }
        }
        assertThat(byCutOffs(NOW.plusSeconds(30), cutOffs)).isEqualTo(WaitingAge.UNDER_1M);
        assertThat(byCutOffs(ago(Duration.ofDays(3)), cutOffs)).isEqualTo(WaitingAge.OVER_1H);
    }

    @Test
    void noneHasEveryPriorityAndBandAtZeroSoAGaugeDropsToZeroWhenItsTasksAreAccepted() {
        Map<Priority, Map<WaitingAge, Integer>> counts = WaitingAge.none();
        assertThat(counts).containsOnlyKeys(Priority.values());
        counts.values().forEach(bands -> assertThat(bands).containsOnlyKeys(WaitingAge.values()).values().containsOnly(0));
    }

    @Test
    void theTagsAreFixedAndDistinct() {
        assertThat(WaitingAge.values()).extracting(WaitingAge::tag)
                .containsExactly("0-1m", "1-5m", "5-15m", "15-60m", "60m+");
    }
}
