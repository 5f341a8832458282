package org.pagerless.platform.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One duty of the background engine, in the manner of GoAlert's engine modules: escalation timers, handover at
 * shift change, the orphan watch, the delivery dispatcher, retention. All of its state is in the database, so a
 * tick after a restart (or on another pod) carries on where the last one stopped.
 * <p>
 * Contract: {@link #tick(Instant)} does what is due at {@code now} and says when it wants the next tick. A thrown
 * exception means nothing due was lost: the same work is found again on the next tick (the {@link EngineLoop}
 * retries after {@link #every()}, logs at most once a minute and reports the module in health).
 */
public interface EngineModule {

    /** Short, stable: the thread name, the {@code module} metric tag and the health key. */
    String name();

    /** The longest wait between two ticks: bounds lateness for work armed by another pod or while asleep. */
    Duration every();

    /** Does what is due at {@code now}; returns when to tick next. */
    Next tick(Instant now) throws Exception;

    /** When a module wants its next tick. */
    record Next(Optional<Duration> in) {
        private static final Next REGULAR = new Next(Optional.empty());
        private static final Next AT_ONCE = new Next(Optional.of(Duration.ZERO));

        /** After {@link #every()}: nothing is known to fall due sooner. */
        public static Next regular() {
            return REGULAR;
        }

        /** At once: the tick stopped at its batch size and more is due already. */
        public static Next atOnce() {
            return AT_ONCE;
        }

        /** When the earliest known work falls due (capped at {@link #every()}); at once if it is past. */
        public static Next at(Instant due, Instant now) {
            Duration d = Duration.between(now, due);
            return new Next(Optional.of(d.isNegative() ? Duration.ZERO : d));
        }

        /** After {@code d} (capped at {@link #every()}). */
        public static Next after(Duration d) {
            return new Next(Optional.of(d.isNegative() ? Duration.ZERO : d));
        }
    }
}
