package org.pagerless.intake;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How many bleeps and tasks each caller may raise (docs/security.md, Abuse limits). */
@ConfigMapping(prefix = "pagerless.limits")
public interface LimitSettings {

    /** Every raise (bleep or task, any priority). */
    Budget raise();

    /** Stat raises only: each rings and texts at once, so they have their own, small budget. */
    Budget stat();

    interface Budget {
        /** Requests per period for a person. */
        int person();

        /** Requests per period for an integration (a hospital system raises for many people). */
        int integration();

        Duration period();

        /** Staff or integration id → its own budget per period. */
        Map<String, Integer> override();
    }
}
