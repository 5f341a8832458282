package org.pagerless.escalation;

import static org.pagerless.task.model.StepTarget.addressee;
import static org.pagerless.task.model.StepTarget.coordinator;
import static org.pagerless.task.model.StepTarget.role;
import static org.pagerless.task.model.StepTarget.switchboard;
import static org.pagerless.task.model.StepTarget.wardNurseInCharge;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.platform.DemoSeed;
import org.pagerless.platform.Jdbc;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.EscalationStep;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Seeds the demo hospital's escalation: the duty roles (each ward's nurse in charge, the H@N coordinator,
 * switchboard) and chains for the medical and surgical on-call roles, e.g. Medical SHO On-Call → Medical
 * Registrar On-Call and the ward's nurse in charge → coordinator and switchboard. Standalone mode and
 * tests only ({@code pagerless.demo.seed=true}), and only when no duties are set yet.
 */
@ApplicationScoped
public class DemoEscalation {
    private static final Logger LOG = Logger.getLogger(DemoEscalation.class);

    private static final Map<String, String> NURSE_IN_CHARGE = Map.of("7A", "nic-7a", "7B", "nic-7b", "AMU", "nic-amu",
            "SURG3", "nic-surg3", "CARD", "nic-card", "ED", "nic-ed");

    private static final EscalationStep LAST_RESORT = EscalationStep.of("Coordinator and switchboard", 1,
            coordinator(), switchboard());

    /** The seeded chains, by role. Every other role gets the default chain for the task's priority. */
    static final List<EscalationPolicy> POLICIES = List.of(
            EscalationPolicy.of("med-sho-oncall", "Medical SHO on call",
                    EscalationStep.of("Medical SHO on call", 0, addressee()),
                    EscalationStep.of("Medical registrar and nurse in charge", 0, role("med-reg-oncall"),
                            wardNurseInCharge()),
                    LAST_RESORT),
            ward("med-fy1-7a", "Medicine FY1 Ward 7A"),
            ward("med-fy1-7b", "Medicine FY1 Ward 7B"),
            ward("med-fy1-amu", "Medicine FY1 AMU"),
            ward("card-fy1", "Cardiology FY1"),
            EscalationPolicy.of("med-reg-oncall", "Medical registrar on call",
                    EscalationStep.of("Medical registrar on call", 1, addressee()),
                    EscalationStep.of("Nurse in charge, coordinator and switchboard", 1, wardNurseInCharge(),
                            coordinator(), switchboard())),
            EscalationPolicy.of("surg-fy1-oncall", "Surgical FY1 on call",
                    EscalationStep.of("Surgical FY1 on call", 0, addressee()),
                    EscalationStep.of("Surgical registrar and nurse in charge", 0, role("surg-reg-oncall"),
                            wardNurseInCharge()),
                    LAST_RESORT));

    @Inject
    Jdbc jdbc;
    @Inject
    EscalationDirectory directory;

    @ConfigProperty(name = "pagerless.demo.seed", defaultValue = "false")
    boolean seed;

    /** After the hospital itself (priority 5), before the directory loads (11). */
    void seed(@Observes @Priority(6) StartupEvent start) throws SQLException {
        if (!seed) {
            return;
        }
        boolean empty = jdbc.queryOne("select (select count(*) from escalation_duty),"
                + " (select count(*) from role where id = 'switchboard')", rs -> rs.getLong(1) == 0 && rs.getLong(2) > 0)
                .orElse(false);
        if (!empty) {
            return;
        }
        boolean seeded = jdbc.transaction(c -> {
            if (!DemoSeed.claim(c, "escalation")) {
                return false;
            }
            try (PreparedStatement duty = c.prepareStatement(
                    "insert into escalation_duty (duty, ward_id, role_id) values (?, ?, ?)")) {
                for (Map.Entry<String, String> nic : NURSE_IN_CHARGE.entrySet()) {
                    add(duty, EscalationDirectory.NURSE_IN_CHARGE, nic.getKey(), nic.getValue());
                }
                add(duty, EscalationDirectory.COORDINATOR, null, "han-coord");
                add(duty, EscalationDirectory.SWITCHBOARD, null, "switchboard");
                duty.executeBatch();
            }
            try (PreparedStatement policy = c.prepareStatement("insert into escalation_policy (role_id, name, definition, "
                    + "updated_by) values (?, ?, ?::jsonb, 'demo') on conflict (role_id) do nothing")) {
                for (EscalationPolicy p : POLICIES) {
                    policy.setString(1, p.id());
                    policy.setString(2, p.name());
                    policy.setString(3, directory.write(p.validate()));
                    policy.addBatch();
                }
                policy.executeBatch();
            }
            return true;
        });
        if (seeded) {
            LOG.infof("seeded the demo escalation: %d duties, %d policies", NURSE_IN_CHARGE.size() + 2, POLICIES.size());
        }
    }

    /** A ward FY1: then the medical SHO on call, then the registrar with the ward's nurse in charge, then the last resort. */
    private static EscalationPolicy ward(String roleId, String name) {
        return EscalationPolicy.of(roleId, name,
                EscalationStep.of(name, 0, addressee()),
                EscalationStep.of("Medical SHO on call", 0, role("med-sho-oncall")),
                EscalationStep.of("Medical registrar and nurse in charge", 0, role("med-reg-oncall"),
                        wardNurseInCharge()),
                LAST_RESORT);
    }

    private static void add(PreparedStatement ps, String duty, String wardId, String roleId) throws SQLException {
        ps.setString(1, duty);
        ps.setString(2, wardId);
        ps.setString(3, roleId);
        ps.addBatch();
    }
}
