package org.pagerless.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class EngineLoopTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BlockingQueue<Instant> ticks = new LinkedBlockingQueue<>();

    /** Ticks once an hour unless woken, and reports every tick. */
    private EngineLoop loop(boolean failing) {
        EngineModule module = new EngineModule() {
            @Override
            public String name() {
                return "ward-round";
            }

            @Override
            public Duration every() {
                return Duration.ofHours(1);
            }

            @Override
            public Next tick(Instant now) {
                ticks.add(now);
                if (failing) {
                    throw new IllegalStateException("database down");
                }
                return Next.regular();
            }
        };
        return new EngineLoop(module, InstantSource.fixed(Instant.parse("2026-12-01T08:00:00Z")), Duration.ZERO,
                registry);
    }

    @Test
    void ticksAtStartThenWhenWokenRatherThanWaitingItsInterval() throws Exception {
        EngineLoop loop = loop(false);
        loop.start();
        try {
            assertThat(ticks.poll(10, TimeUnit.SECONDS)).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
            loop.wake();
            assertThat(ticks.poll(10, TimeUnit.SECONDS)).as("a woken loop ticks before its hour is up").isNotNull();
        } finally {
            loop.stop();
        }
        assertThat(loop.health()).contains("stopped");
    }

    @Test
    void aFailingTickIsCountedAndReportedAndTheLoopCarriesOn() throws Exception {
        EngineLoop loop = loop(true);
        loop.start();
        try {
            assertThat(ticks.poll(10, TimeUnit.SECONDS)).isNotNull();
            loop.wake();
            assertThat(ticks.poll(10, TimeUnit.SECONDS)).as("still ticking after a failure").isNotNull();
            assertThat(registry.counter("pagerless.engine.tick.failures", "module", "ward-round").count())
                    .isGreaterThanOrEqualTo(1);
            // late-after is zero here: a module with no successful tick is reported, with the last error.
            assertThat(loop.health()).hasValueSatisfying(
                    why -> assertThat(why).contains("no successful tick", "IllegalStateException: database down"));
        } finally {
            loop.stop();
        }
    }
}
