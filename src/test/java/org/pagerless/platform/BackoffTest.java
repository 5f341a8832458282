package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How long a consumer waits between attempts while a dependency is away (ADR 0093). */
class BackoffTest {

    @Test
    void doublesFrom200MillisecondsToTwoSecondsAndStaysThere() {
        Backoff backoff = new Backoff();
        List<Duration> pauses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            pauses.add(backoff.next());
            backoff.grow();
        }
        assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(1600), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void aSuccessStartsTheNextFailureAtTheShortestPauseAgain() {
        Backoff backoff = new Backoff();
        for (int i = 0; i < 5; i++) {
            backoff.grow();
        }
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    }
}
