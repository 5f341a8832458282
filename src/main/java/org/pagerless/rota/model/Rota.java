package org.pagerless.rota.model;

import java.util.List;

/** Everything that decides who holds a role: explicit shifts, rotations, overrides, and leave. */
public record Rota(List<Shift> shifts, List<Rotation> rotations, List<RotaOverride> overrides, List<Leave> leave) {

    public Rota {
        shifts = List.copyOf(shifts);
        rotations = List.copyOf(rotations);
        overrides = List.copyOf(overrides);
        leave = List.copyOf(leave);
    }

    public static Rota ofShifts(List<Shift> shifts) {
        return new Rota(shifts, List.of(), List.of(), List.of());
    }
}
