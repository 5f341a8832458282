package org.pagerless.escalation;

import java.util.Map;

import org.pagerless.rota.RotaReferences;

import jakarta.enterprise.context.ApplicationScoped;

/** The escalation policies and duties that name a member of staff or a role: the rota may not delete those. */
@ApplicationScoped
public class EscalationReferences implements RotaReferences {

    @Override
    public Map<String, String> toStaff() {
        return Map.of("escalation policy(ies)", "select count(*) from escalation_policy"
                + " where cast(definition as text) like '%\"id\": \"' || ? || '\"%'");
    }

    @Override
    public Map<String, String> toRole() {
        return Map.of(
                "escalation policy(ies)", "select count(*) from escalation_policy where role_id = ?"
                        + " or cast(definition as text) like '%\"id\": \"' || ? || '\"%'",
                "escalation duty(ies)", "select count(*) from escalation_duty where role_id = ?");
    }
}
