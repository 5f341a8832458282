package org.pagerless.task.model;

import java.util.List;

/**
 * What one step target resolved to at one instant: the role it meant ({@code null} for a named person,
 * or when it does not apply, e.g. the ward's nurse in charge for a bleep with no ward) and who holds it.
 */
public record Reached(StepTarget target, String roleId, List<String> holders) {
    public Reached {
        holders = List.copyOf(holders);
    }

    /** A role that should have had someone on it and had nobody: switchboard must hear of it. */
    public boolean isVacantRole() {
        return roleId != null && holders.isEmpty();
    }
}
