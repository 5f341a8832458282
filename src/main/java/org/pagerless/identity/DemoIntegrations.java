package org.pagerless.identity;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.platform.DemoSeed;
import org.pagerless.platform.Jdbc;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Demo credentials for the demo hospital's systems (standalone mode and tests only, with the demo hospital): one
 * system per protocol signs in through {@link IntegrationIdentityProvider}, as a production system does, with the
 * secret {@value #SECRET}: {@code nurse-call} for WCTP and SNPP, {@code epr} for HL7 v2 over MLLP (and FHIR). Seeded
 * once; an admin can rotate or revoke them like any other.
 */
@ApplicationScoped
public class DemoIntegrations {
    private static final Logger LOG = Logger.getLogger(DemoIntegrations.class);
    static final String SECRET = "demo";
    static final List<String> SYSTEMS = List.of("epr", "nurse-call");

    @ConfigProperty(name = "pagerless.demo.seed", defaultValue = "false")
    boolean seed;
    @Inject
    Jdbc jdbc;
    @Inject
    InstantSource clock;
    @Inject
    StaffDirectory staff;

    /** After the demo hospital (5) has seeded its staff and reference data (10) has loaded them. */
    void seed(@Observes @Priority(11) StartupEvent start) throws SQLException {
        if (!seed) {
            return;
        }
        boolean seeded = jdbc.transaction(c -> {
            if (!DemoSeed.claim(c, "integration-secrets")) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("insert into integration_system (id, secret_hash, "
                    + "secret_set_at, updated_at) values (?, ?, ?, ?) on conflict (id) do nothing")) {
                Object now = Jdbc.utc(clock.instant());
                for (String system : SYSTEMS) {
                    if (staff.appRoleOf(system).isEmpty()) {
                        continue;
                    }
                    ps.setString(1, system);
                    ps.setString(2, SecretHash.hash(SECRET, SecretHash.SECRET_ITERATIONS));
                    ps.setObject(3, now);
                    ps.setObject(4, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
        if (seeded) {
            LOG.infof("seeded demo credentials for the hospital systems %s", SYSTEMS);
        }
    }
}
