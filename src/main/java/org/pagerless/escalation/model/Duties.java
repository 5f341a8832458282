package org.pagerless.escalation.model;

import java.util.Map;
import java.util.Optional;

/**
 * Which roles carry the duties an escalation chain ends with: each ward's nurse in charge, the Hospital
 * at Night coordinator and switchboard. Absent entries resolve to nobody.
 */
public record Duties(Map<String, String> nurseInChargeRoleByWard, String coordinatorRole, String switchboardRole) {
    public static final Duties NONE = new Duties(Map.of(), null, null);

    public Duties {
        nurseInChargeRoleByWard = Map.copyOf(nurseInChargeRoleByWard);
    }

    public Optional<String> nurseInChargeRole(String wardId) {
        return wardId == null ? Optional.empty() : Optional.ofNullable(nurseInChargeRoleByWard.get(wardId));
    }
}
