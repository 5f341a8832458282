package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.platform.Jdbc;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineModule;
import org.pagerless.escalation.model.Duties;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The escalation policies per role and the duty roles (nurse in charge per ward, coordinator, switchboard),
 * held in memory like the rota so the task processor never waits on them. Loaded at start, refreshed
 * every few seconds and at once after a change through this pod; if the database is unreachable the last
 * good copy keeps serving.
 */
@ApplicationScoped
public class EscalationDirectory implements EngineModule {
    private static final Logger LOG = Logger.getLogger(EscalationDirectory.class);
    static final String NURSE_IN_CHARGE = "nurse-in-charge";
    static final String COORDINATOR = "coordinator";
    static final String SWITCHBOARD = "switchboard";

    @Inject
    Jdbc jdbc;
    @Inject
    Engine engine;
    @ConfigProperty(name = "pagerless.escalation.directory-refresh", defaultValue = "10s")
    Duration refreshEvery;
    @Inject
    ObjectMapper json;

    private volatile Map<String, EscalationPolicy> policies = Map.of();
    private volatile Duties duties = Duties.NONE;
    private volatile boolean warnedNoSwitchboard;

    void load(@Observes @jakarta.annotation.Priority(11) StartupEvent start) {
        refresh();
        engine.loop(this).start();
    }

    @Override
    public String name() {
        return "escalation-directory";
    }

    @Override
    public Duration every() {
        return refreshEvery;
    }

    /** The safety net behind the reloads on change; if the database cannot be asked the last good copy serves on. */
    @Override
    public Next tick(Instant now) {
        refresh();
        return Next.regular();
    }

    /** The chain a new task gets: its role's own policy, else the default for its priority. */
    public EscalationPolicy policyFor(Target addressee, Priority priority) {
        if (addressee.type() == Target.Type.ROLE) {
            EscalationPolicy own = policies.get(addressee.id());
            if (own != null) {
                return own;
            }
        }
        return EscalationPolicy.defaultFor(priority);
    }

    public Optional<EscalationPolicy> policyOfRole(String roleId) {
        return Optional.ofNullable(policies.get(roleId));
    }

    public Map<String, EscalationPolicy> policies() {
        return policies;
    }

    public Duties duties() {
        return duties;
    }

    /** Stores {@code policy} as the chain of its role (replacing any), then reloads. The policy must be valid. */
    public void save(EscalationPolicy policy, String by) {
        policy.validate();
        jdbc.update("""
                insert into escalation_policy (role_id, name, definition, updated_at, updated_by)
                values (?, ?, ?::jsonb, now(), ?)
                on conflict (role_id) do update set name = excluded.name, definition = excluded.definition,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, policy.id(), policy.name(), write(policy), by);
        refresh();
    }

    /** Removes the role's own chain, so its tasks follow the default for their priority; false if it had none. */
    public boolean remove(String roleId) {
        boolean removed = jdbc.update("delete from escalation_policy where role_id = ?", roleId) > 0;
        refresh();
        return removed;
    }

    /** Replaces every duty at once, then reloads. */
    public void saveDuties(Duties replacement) {
        jdbc.transaction(c -> {
            Jdbc.update(c, "delete from escalation_duty");
            for (Map.Entry<String, String> nic : replacement.nurseInChargeRoleByWard().entrySet()) {
                addDuty(c, NURSE_IN_CHARGE, nic.getKey(), nic.getValue());
            }
            if (replacement.coordinatorRole() != null) {
                addDuty(c, COORDINATOR, null, replacement.coordinatorRole());
            }
            if (replacement.switchboardRole() != null) {
                addDuty(c, SWITCHBOARD, null, replacement.switchboardRole());
            }
        });
        refresh();
    }

    private static void addDuty(Connection c, String duty, String wardId, String roleId) throws SQLException {
        Jdbc.update(c, "insert into escalation_duty (duty, ward_id, role_id) values (?, ?, ?)", duty, wardId, roleId);
    }

    /** Reloads now; call after changing policies or duties so new tasks see them at once. */
    public void refresh() {
        Map<String, EscalationPolicy> loaded = new HashMap<>();
        jdbc.forEachRow("select role_id, definition from escalation_policy",
                rs -> loaded.put(rs.getString(1), read(rs.getString(2))));
        Map<String, String> nic = new HashMap<>();
        Map<String, String> others = new HashMap<>();
        jdbc.forEachRow("select duty, ward_id, role_id from escalation_duty", rs -> {
            if (NURSE_IN_CHARGE.equals(rs.getString(1))) {
                nic.put(rs.getString(2), rs.getString(3));
            } else {
                others.put(rs.getString(1), rs.getString(3));
            }
        });
        String switchboard = others.get(SWITCHBOARD);
        policies = Map.copyOf(loaded);
        duties = new Duties(nic, others.get(COORDINATOR), switchboard);
        if (switchboard == null && !warnedNoSwitchboard) {
            // Every default chain ends at switchboard: without it, a chain may end with nobody told.
            LOG.warn("no switchboard role is set for escalation: set it with PUT /api/v1/escalation-duties");
        }
        warnedNoSwitchboard = switchboard == null;
    }

    EscalationPolicy read(String text) {
        try {
            return json.readValue(text, EscalationPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable escalation policy", e);
        }
    }

    String write(EscalationPolicy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write escalation policy", e);
        }
    }
}
