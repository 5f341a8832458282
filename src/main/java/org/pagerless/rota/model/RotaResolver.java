package org.pagerless.rota.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Answers "who holds this role at this instant?" over a loaded rota. Pure: no clock, no I/O. The holders are those
 * on an explicit shift or an occurrence of a rotation, then changed by the overrides in force, then minus anyone on
 * leave: leave always wins, even over an override.
 */
public final class RotaResolver {

    private final Map<String, List<Shift>> shiftsByRole;
    private final Map<String, List<Rotation>> rotationsByRole;
    private final Map<String, List<RotaOverride>> overridesByRole;
    private final Map<String, List<Leave>> leaveByStaff;

    public RotaResolver(Collection<Shift> shifts) {
        this(Rota.ofShifts(List.copyOf(shifts)));
    }

    public RotaResolver(Rota rota) {
        this.shiftsByRole = rota.shifts().stream()
                .sorted(Comparator.comparing(Shift::startsAt).thenComparing(Shift::staffId))
                .collect(Collectors.groupingBy(Shift::roleId, Collectors.toUnmodifiableList()));
        this.rotationsByRole = rota.rotations().stream()
                .collect(Collectors.groupingBy(Rotation::roleId, Collectors.toUnmodifiableList()));
        this.overridesByRole = rota.overrides().stream()
                .sorted(Comparator.comparing(RotaOverride::startsAt))
                .collect(Collectors.groupingBy(RotaOverride::roleId, Collectors.toUnmodifiableList()));
        this.leaveByStaff = rota.leave().stream()
                .collect(Collectors.groupingBy(Leave::staffId, Collectors.toUnmodifiableList()));
    }

    /** Everyone holding {@code roleId} at {@code at}, earliest shift first, each person once. */
    public List<String> holdersOf(String roleId, Instant at) {
        Set<String> holders = new LinkedHashSet<>();
        scheduled(roleId, at).forEach(s -> holders.add(s.staffId()));
        for (RotaOverride o : overridesByRole.getOrDefault(roleId, List.of())) {
            if (!o.covers(at)) {
                continue;
            }
            switch (o.kind()) {
                case ADD -> holders.add(o.staffId());
                case REMOVE -> holders.remove(o.replacedStaffId());
                case REPLACE -> {
                    if (holders.remove(o.replacedStaffId())) {
                        holders.add(o.staffId());
                    }
                }
                default -> throw new IllegalStateException(o.kind().name());
            }
        }
        holders.removeIf(staffId -> onLeave(staffId, at));
        return List.copyOf(holders);
    }

    /** Whether {@code staffId} is on leave at {@code at}. */
    public boolean onLeave(String staffId, Instant at) {
        return leaveByStaff.getOrDefault(staffId, List.of()).stream().anyMatch(l -> l.covers(at));
    }

    /**
     * The stint in which {@code staffId} holds {@code roleId} at {@code at}, if they hold it: their shift or rotation
     * occurrence, or the override that made them a holder.
     */
    public Optional<Shift> shiftOf(String roleId, String staffId, Instant at) {
        if (!holdersOf(roleId, at).contains(staffId)) {
            return Optional.empty();
        }
        return scheduled(roleId, at).stream().filter(shift -> shift.staffId().equals(staffId))
                .max(Comparator.comparing(Shift::endsAt))
                .or(() -> overridesByRole.getOrDefault(roleId, List.of()).stream()
                        .filter(o -> o.covers(at) && staffId.equals(o.staffId()))
                        .map(o -> new Shift(roleId, staffId, o.startsAt(), o.endsAt()))
                        .max(Comparator.comparing(Shift::endsAt)));
    }

    /** Explicit shifts and rotation occurrences for {@code roleId} covering {@code at}, earliest first. */
    private List<Shift> scheduled(String roleId, Instant at) {
        List<Shift> covering = new ArrayList<>();
        shiftsByRole.getOrDefault(roleId, List.of()).stream().filter(s -> s.covers(at)).forEach(covering::add);
        for (Rotation r : rotationsByRole.getOrDefault(roleId, List.of())) {
            r.expand(at, at.plusNanos(1)).stream().filter(s -> s.covers(at)).forEach(covering::add);
        }
        covering.sort(Comparator.comparing(Shift::startsAt).thenComparing(Shift::staffId));
        return covering;
    }

    /** The roles that have any shift or rotation occurrence overlapping [{@code from}, {@code to}). */
    public Set<String> scheduledRoles(Instant from, Instant to) {
        Set<String> roles = new TreeSet<>();
        shiftsByRole.forEach((role, shifts) -> {
            if (shifts.stream().anyMatch(s -> s.endsAt().isAfter(from) && s.startsAt().isBefore(to))) {
                roles.add(role);
            }
        });
        rotationsByRole.forEach((role, rotations) -> {
            if (rotations.stream().anyMatch(r -> !r.expand(from, to).isEmpty())) {
                roles.add(role);
            }
        });
        return roles;
    }

    /** A period in which nobody holds a role that should be covered. */
    public record Gap(String roleId, Instant from, Instant to) {
    }

    /**
     * The periods within [{@code from}, {@code to}) in which a role that should be covered (one with any shift or
     * rotation in the window) has no holder, by role then time; adjacent empty periods are merged.
     */
    public List<Gap> gaps(Instant from, Instant to) {
        List<Gap> gaps = new ArrayList<>();
        for (String role : scheduledRoles(from, to)) {
            TreeSet<Instant> edges = new TreeSet<>();
            edges.add(from);
            edges.add(to);
            shiftsByRole.getOrDefault(role, List.of()).forEach(s -> edges.addAll(List.of(s.startsAt(), s.endsAt())));
            rotationsByRole.getOrDefault(role, List.of()).forEach(r -> r.expand(from, to)
                    .forEach(s -> edges.addAll(List.of(s.startsAt(), s.endsAt()))));
            overridesByRole.getOrDefault(role, List.of()).forEach(o -> edges.addAll(List.of(o.startsAt(), o.endsAt())));
            leaveByStaff.values().forEach(ls -> ls.forEach(l -> edges.addAll(List.of(l.startsAt(), l.endsAt()))));
            List<Instant> cuts = List.copyOf(edges.subSet(from, true, to, true));
            Instant gapStart = null;
            for (int i = 0; i < cuts.size() - 1; i++) {
                boolean empty = holdersOf(role, cuts.get(i)).isEmpty();
                if (empty && gapStart == null) {
                    gapStart = cuts.get(i);
                } else if (!empty && gapStart != null) {
                    gaps.add(new Gap(role, gapStart, cuts.get(i)));
                    gapStart = null;
                }
            }
            if (gapStart != null) {
                gaps.add(new Gap(role, gapStart, to));
            }
        }
        return gaps;
    }

    /** Every stint of {@code roleId} overlapping the window, from shifts and rotations, before overrides and leave. */
    public List<Shift> scheduledBetween(String roleId, Instant from, Instant to) {
        List<Shift> all = new ArrayList<>();
        shiftsByRole.getOrDefault(roleId, List.of()).stream()
                .filter(s -> s.endsAt().isAfter(from) && s.startsAt().isBefore(to)).forEach(all::add);
        rotationsByRole.getOrDefault(roleId, List.of()).forEach(r -> all.addAll(r.expand(from, to)));
        all.sort(Comparator.comparing(Shift::startsAt).thenComparing(Shift::staffId));
        return all;
    }

    /**
     * Who actually holds {@code roleId} within [{@code from}, {@code to}), after overrides and leave: one stint per
     * unbroken period a person holds it, clipped to the window, by start then person. This is what a calendar feed
     * shows, so an override or leave splits or replaces the scheduled shift it falls in.
     */
    public List<Shift> heldBetween(String roleId, Instant from, Instant to) {
        TreeSet<Instant> edges = edgesOf(roleId, from, to);
        edges.addAll(List.of(from, to));
        List<Instant> cuts = List.copyOf(edges.subSet(from, true, to, true));
        List<Shift> stints = new ArrayList<>();
        Map<String, Instant> open = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cuts.size(); i++) {
            Instant at = cuts.get(i);
            Set<String> now = i < cuts.size() - 1 ? new LinkedHashSet<>(holdersOf(roleId, at)) : Set.of();
            for (var it = open.entrySet().iterator(); it.hasNext();) {
                var held = it.next();
                if (!now.contains(held.getKey())) {
                    stints.add(new Shift(roleId, held.getKey(), held.getValue(), at));
                    it.remove();
                }
            }
            now.forEach(staffId -> open.putIfAbsent(staffId, at));
        }
        stints.sort(Comparator.comparing(Shift::startsAt).thenComparing(Shift::staffId));
        return stints;
    }

    /**
     * The instants in ({@code from}, {@code to}] at which who holds {@code roleId} may change: every start and end of
     * its shifts, rotation occurrences and overrides, and of anyone's leave, in order. (Used to find handovers.)
     */
    public List<Instant> changesOf(String roleId, Instant from, Instant to) {
        return List.copyOf(edgesOf(roleId, from, to.plusNanos(1)).subSet(from, false, to, true));
    }

    /** Every start and end of the role's shifts, rotation occurrences and overrides, and of anyone's leave. */
    private TreeSet<Instant> edgesOf(String roleId, Instant from, Instant to) {
        TreeSet<Instant> edges = new TreeSet<>();
        scheduledBetween(roleId, from, to).forEach(s -> edges.addAll(List.of(s.startsAt(), s.endsAt())));
        overridesByRole.getOrDefault(roleId, List.of()).forEach(o -> edges.addAll(List.of(o.startsAt(), o.endsAt())));
        leaveByStaff.values().forEach(ls -> ls.forEach(l -> edges.addAll(List.of(l.startsAt(), l.endsAt()))));
        return edges;
    }
}
