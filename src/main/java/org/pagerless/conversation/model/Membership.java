package org.pagerless.conversation.model;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Ward;

/**
 * Who is in a room, group, role or direct conversation at an instant: its fixed members, whoever holds one of its
 * roles then, and for each of its wards whoever holds a role covering the ward and the ward's nurse in charge.
 * Computed from the rota every time, never copied, so the night team is in at 20:00 without anyone doing anything.
 */
public final class Membership {
    private Membership() {
    }

    public static Set<String> membersAt(Conversation c, Hospital hospital, Map<String, String> nurseInChargeRoleByWard,
                                        Instant at) {
        Set<String> members = new LinkedHashSet<>(c.memberIds());
        for (String roleId : c.roleIds()) {
            members.addAll(hospital.holdersOf(roleId, at));
        }
        for (String wardId : c.wardIds()) {
            Optional<Ward> ward = hospital.ward(wardId);
            ward.ifPresent(w -> w.coveringRoleIds().forEach(r -> members.addAll(hospital.holdersOf(r, at))));
            String nic = nurseInChargeRoleByWard.get(wardId);
            if (nic != null) {
                members.addAll(hospital.holdersOf(nic, at));
            }
        }
        return members;
    }
}
