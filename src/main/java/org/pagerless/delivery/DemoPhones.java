package org.pagerless.delivery;

import java.time.Instant;
import java.time.InstantSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.DemoSeed;
import org.pagerless.platform.Jdbc;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Staff;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The demo hospital's mobile numbers (Ofcom's drama range, never a real phone) count as confirmed: standalone mode
 * and the tests page them at once. Seeded once, after the demo hospital (5) and reference data (10); numbers that
 * existed before phone confirmation are confirmed by migration V70 instead.
 */
@ApplicationScoped
public class DemoPhones {
    @ConfigProperty(name = "pagerless.demo.seed", defaultValue = "false")
    boolean seed;
    @Inject
    Jdbc jdbc;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;

    void seed(@Observes @Priority(11) StartupEvent start) {
        if (!seed) {
            return;
        }
        jdbc.transaction(c -> {
            if (!DemoSeed.claim(c, "phone-confirmed")) {
                return;
            }
            Instant now = clock.instant();
            for (Staff s : referenceData.hospital().allStaff()) {
                var phone = referenceData.phoneOf(s.id());
                if (phone.isPresent()) {
                    PhoneConfirmations.markConfirmed(c, s.id(), phone.get(), "demo", now);
                }
            }
        });
    }
}
