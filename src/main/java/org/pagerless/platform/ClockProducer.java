package org.pagerless.platform;

import java.time.InstantSource;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The one clock every decision reads {@code now} from; tests replace it with a controllable one. */
public class ClockProducer {

    @Produces
    @DefaultBean
    @ApplicationScoped
    InstantSource systemClock() {
        return InstantSource.system();
    }
}
