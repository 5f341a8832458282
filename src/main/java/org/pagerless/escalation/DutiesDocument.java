package org.pagerless.escalation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pagerless.escalation.model.Duties;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Ward;

/**
 * The roles that carry the duties escalation chains end with, as admins read and write them: each ward's
 * nurse-in-charge role, the Hospital at Night coordinator role and the switchboard role (ids or names).
 */
public record DutiesDocument(Map<String, String> nurseInCharge, String coordinator, String switchboard) {

    public static DutiesDocument of(Duties duties) {
        return new DutiesDocument(new TreeMap<>(duties.nurseInChargeRoleByWard()), duties.coordinatorRole(),
                duties.switchboardRole());
    }

    /** The duties, if every ward and role exists and switchboard is set; otherwise every problem by field. */
    public Duties toDuties(Hospital hospital) {
        List<Violation> violations = new ArrayList<>();
        Map<String, String> nic = new LinkedHashMap<>();
        if (nurseInCharge != null) {
            nurseInCharge.forEach((wardName, roleName) -> {
                Ward ward = wardName == null ? null : hospital.ward(wardName).orElse(null);
                String role = role("nurseInCharge." + wardName, roleName, hospital, violations);
                if (ward == null) {
                    violations.add(new Violation("nurseInCharge." + wardName, "no ward '" + wardName + "'"));
                } else if (role != null) {
                    nic.put(ward.id(), role);
                }
            });
        }
        String coordinatorRole = coordinator == null || coordinator.isBlank() ? null
                : role("coordinator", coordinator, hospital, violations);
        String switchboardRole = null;
        if (switchboard == null || switchboard.isBlank()) {
            violations.add(new Violation("switchboard", "is required: switchboard is every chain's last resort"));
        } else {
            switchboardRole = role("switchboard", switchboard, hospital, violations);
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        return new Duties(nic, coordinatorRole, switchboardRole);
    }

    private static String role(String field, String idOrName, Hospital hospital, List<Violation> violations) {
        Role role = idOrName == null ? null : hospital.role(idOrName).orElse(null);
        if (role == null) {
            violations.add(new Violation(field, "no role '" + idOrName + "'"));
            return null;
        }
        return role.id();
    }
}
