package org.pagerless.task.model;

import java.util.Objects;

/**
 * Who a task is addressed to: a role (resolved through the rota at each step), a named person, or a team
 * (a broadcast, offered to every holder of the team's roles).
 * Bleep numbers and wards are resolved to one of these at intake.
 */
public record Target(Type type, String id) {
    public enum Type { ROLE, PERSON, TEAM }

    public Target {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Target role(String roleId) {
        return new Target(Type.ROLE, roleId);
    }

    /** A team (for a broadcast): every current holder of each of its roles. */
    public static Target team(String teamId) {
        return new Target(Type.TEAM, teamId);
    }

    public static Target person(String staffId) {
        return new Target(Type.PERSON, staffId);
    }
}
