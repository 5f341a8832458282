package org.pagerless.rota.model;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A snapshot of the hospital's reference data and rota, with the lookups intake and routing need. */
public final class Hospital {
    private final Map<String, Ward> wards;
    private final Map<String, Role> roles;
    /** Roles by lower-case name: intake looks a role up by name on every bleep. */
    private final Map<String, Role> rolesByName;
    private final Map<String, Staff> staff;
    private final RotaResolver rota;

    public Hospital(Collection<Ward> wards, Collection<Role> roles, Collection<Staff> staff, Collection<Shift> shifts) {
        this(wards, roles, staff, Rota.ofShifts(List.copyOf(shifts)));
    }

    public Hospital(Collection<Ward> wards, Collection<Role> roles, Collection<Staff> staff, Rota rota) {
        this.wards = wards.stream().collect(Collectors.toUnmodifiableMap(Ward::id, Function.identity()));
        this.roles = roles.stream().collect(Collectors.toUnmodifiableMap(Role::id, Function.identity()));
        this.rolesByName = roles.stream().collect(Collectors.toUnmodifiableMap(
                r -> r.name().toLowerCase(Locale.ROOT), Function.identity(), (first, second) -> first));
        this.staff = staff.stream().collect(Collectors.toUnmodifiableMap(Staff::id, Function.identity()));
        this.rota = new RotaResolver(rota);
    }

    public static Hospital empty() {
        return new Hospital(List.of(), List.of(), List.of(), List.of());
    }

    /** A role by its id or, ignoring case, its name. */
    public Optional<Role> role(String idOrName) {
        return Optional.ofNullable(roles.get(idOrName))
                .or(() -> Optional.ofNullable(rolesByName.get(idOrName.trim().toLowerCase(Locale.ROOT))));
    }

    /** A ward by its id or, ignoring case, its name ("7B", "Ward 7B"). */
    public Optional<Ward> ward(String idOrName) {
        String wanted = idOrName.trim().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(wards.get(idOrName)).or(() -> wards.values().stream()
                .filter(w -> w.name().equalsIgnoreCase(wanted) || w.id().equalsIgnoreCase(wanted)
                        || ("ward " + w.name()).equalsIgnoreCase(wanted))
                .findFirst());
    }

    public Optional<Staff> staff(String id) {
        return Optional.ofNullable(staff.get(id));
    }

    public Optional<Role> roleByBleep(String bleep) {
        return roles.values().stream().filter(r -> bleep.equals(r.bleep())).findFirst();
    }

    /** Every member of staff, in no particular order. */
    public Collection<Staff> allStaff() {
        return staff.values();
    }

    public Collection<Role> roles() {
        return roles.values();
    }

    public Collection<Ward> wards() {
        return wards.values();
    }

    public List<String> holdersOf(String roleId, Instant at) {
        return rota.holdersOf(roleId, at);
    }

    public RotaResolver rota() {
        return rota;
    }

    /** The role covering {@code ward} now: the first of its covering roles with a holder, else the first. */
    public Optional<Role> coveringRole(Ward ward, Instant at) {
        return ward.coveringRoleIds().stream().filter(id -> !rota.holdersOf(id, at).isEmpty()).findFirst()
                .or(() -> ward.coveringRoleIds().stream().findFirst())
                .map(roles::get);
    }
}
