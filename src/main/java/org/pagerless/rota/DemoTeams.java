package org.pagerless.rota;

import java.sql.PreparedStatement;
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

/** Seeds the demo hospital's broadcast teams, in demo mode and tests only, and only when there are none yet. */
@ApplicationScoped
public class DemoTeams {
    private static final Logger LOG = Logger.getLogger(DemoTeams.class);

    /** Team id, name, then its roles in rank order. */
    static final List<List<String>> TEAMS = List.of(
            List.of("crash", "Crash Team", "med-reg-oncall", "med-sho-oncall", "ed-reg", "nic-amu", "han-coord"),
            List.of("trauma", "Trauma Team", "ed-reg", "surg-reg-oncall", "nic-ed", "han-coord"));

    @Inject
    Jdbc jdbc;

    @ConfigProperty(name = "pagerless.demo.seed", defaultValue = "false")
    boolean seed;

    /** After the hospital itself (priority 5). */
    void seed(@Observes @Priority(7) StartupEvent start) {
        if (!seed || !jdbc.queryOne(
                "select (select count(*) from team), (select count(*) from role where id = 'med-reg-oncall')",
                rs -> rs.getLong(1) == 0 && rs.getLong(2) > 0).orElseThrow()) {
            return;
        }
        boolean seeded = jdbc.transaction(c -> {
            if (!DemoSeed.claim(c, "teams")) {
                return false;
            }
            try (PreparedStatement team = c.prepareStatement("insert into team (id, name) values (?, ?)");
                 PreparedStatement role = c.prepareStatement(
                         "insert into team_role (team_id, role_id, rank) values (?, ?, ?)")) {
                for (List<String> t : TEAMS) {
                    team.setString(1, t.get(0));
                    team.setString(2, t.get(1));
                    team.addBatch();
                    for (int i = 2; i < t.size(); i++) {
                        role.setString(1, t.get(0));
                        role.setString(2, t.get(i));
                        role.setInt(3, i - 1);
                        role.addBatch();
                    }
                }
                team.executeBatch();
                role.executeBatch();
            }
            return true;
        });
        if (seeded) {
            LOG.infof("seeded the demo broadcast teams: %d", TEAMS.size());
        }
    }
}
