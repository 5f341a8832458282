package org.pagerless.rota.model;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Answers "who holds this role at this instant?" over a loaded rota. Pure: no clock, no I/O. */
public final class RotaResolver {

    private final Map<String, List<Shift>> shiftsByRole;

    public RotaResolver(Collection<Shift> shifts) {
        this.shiftsByRole = shifts.stream()
                .sorted(Comparator.comparing(Shift::startsAt).thenComparing(Shift::staffId))
                .collect(Collectors.groupingBy(Shift::roleId, Collectors.toUnmodifiableList()));
    }

    /** Everyone on shift for {@code roleId} at {@code at}, earliest shift first, each person once. */
    public List<String> holdersOf(String roleId, Instant at) {
        return shiftsByRole.getOrDefault(roleId, List.of()).stream()
                .filter(shift -> shift.covers(at))
                .map(Shift::staffId)
                .distinct()
                .toList();
    }

    /** The shift that {@code staffId} is on for {@code roleId} at {@code at}, if any. */
    public java.util.Optional<Shift> shiftOf(String roleId, String staffId, Instant at) {
        return shiftsByRole.getOrDefault(roleId, List.of()).stream()
                .filter(shift -> shift.staffId().equals(staffId) && shift.covers(at))
                .max(Comparator.comparing(Shift::endsAt));
    }
}
