package org.pagerless.support;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The application's clock in tests: it runs with real time from an offset the test controls, so
 * time-dependent rules are tested by moving it, never by waiting.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestClock implements InstantSource {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    public void advance(Duration by) {
        offset.updateAndGet(o -> o.plus(by));
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }

    /**
     * The demo rota's day and night shifts overlap 08:00-08:30 and 20:00-20:30 London time (handover: two holders
     * of each role). A test that expects one holder, run near those times, would meet two: if the clock is within
     * 40 minutes before or after a shift change, move it on to 45 minutes past, where every role has one holder.
     */
    public void awayFromShiftChange() {
        java.time.ZonedDateTime now = instant().atZone(java.time.ZoneId.of("Europe/London"));
        for (java.time.LocalTime change : new java.time.LocalTime[] {java.time.LocalTime.of(8, 0),
            java.time.LocalTime.of(20, 0)}) {
            java.time.ZonedDateTime at = now.with(change);
            if (!now.isBefore(at.minusMinutes(40)) && now.isBefore(at.plusMinutes(40))) {
                advance(Duration.between(now, at.plusMinutes(45)));
                return;
            }
        }
    }
}
