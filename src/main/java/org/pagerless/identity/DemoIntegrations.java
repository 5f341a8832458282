package org.pagerless.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.InstantSource;
import java.util.List;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.platform.DemoSeed;

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
    DataSource dataSource;
    @Inject
    InstantSource clock;
    @Inject
    StaffDirectory staff;

    /** After the demo hospital (5) has seeded its staff and reference data (10) has loaded them. */
    void seed(@Observes @Priority(11) StartupEvent start) throws SQLException {
        if (!seed) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (!DemoSeed.claim(c, "integration-secrets")) {
                c.rollback();
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("insert into integration_system (id, secret_hash, "
                    + "secret_set_at, updated_at) values (?, ?, ?, ?) on conflict (id) do nothing")) {
                Timestamp now = Timestamp.from(clock.instant());
                for (String system : SYSTEMS) {
                    if (staff.appRoleOf(system).isEmpty()) {
                        continue;
                    }
                    ps.setString(1, system);
                    ps.setString(2, SecretHash.hash(SECRET, SecretHash.SECRET_ITERATIONS));
                    ps.setTimestamp(3, now);
                    ps.setTimestamp(4, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            LOG.infof("seeded demo credentials for the hospital systems %s", SYSTEMS);
        }
    }
}
