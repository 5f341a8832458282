package org.pagerless.board;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Staff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Who is on shift as what, right now: the rota as the apps show it, with each shift's end. */
@ApplicationScoped
public class StaffNow {

    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;

    /** A role someone holds now, and when their shift in it ends. */
    public record OnShift(String roleId, String roleName, Instant until) {
    }

    /** Someone holding a role now, until the end of their shift. */
    public record Holder(String id, String name, String grade, Instant until) {
    }

    /** The roles {@code staffId} holds at this moment, by name. */
    public List<OnShift> rolesOf(String staffId) {
        Hospital hospital = referenceData.hospital();
        Instant now = clock.instant();
        return hospital.roles().stream()
                .flatMap(role -> hospital.rota().shiftOf(role.id(), staffId, now).stream()
                        .map(shift -> new OnShift(role.id(), role.name(), shift.endsAt())))
                .sorted(Comparator.comparing(OnShift::roleName)).toList();
    }

    /** Everyone holding {@code role} now, earliest shift first. Empty means nobody: bleeping it alerts switchboard. */
    public List<Holder> holdersOf(Role role) {
        Hospital hospital = referenceData.hospital();
        Instant now = clock.instant();
        return hospital.holdersOf(role.id(), now).stream()
                .map(id -> new Holder(id, hospital.staff(id).map(Staff::displayName).orElse(id),
                        hospital.staff(id).map(Staff::grade).orElse(null),
                        hospital.rota().shiftOf(role.id(), id, now).map(s -> s.endsAt()).orElse(null)))
                .toList();
    }

    public String nameOf(String staffId) {
        return staff(staffId).map(Staff::displayName).orElse(staffId);
    }

    public Optional<Staff> staff(String staffId) {
        return referenceData.hospital().staff(staffId);
    }

    public Hospital hospital() {
        return referenceData.hospital();
    }

    public Instant now() {
        return clock.instant();
    }
}
