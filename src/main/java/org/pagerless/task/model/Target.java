package org.pagerless.task.model;

import java.util.Objects;

/**
 * Who a task is addressed to: a role (resolved through the rota at each step) or a named person.
 * Bleep numbers and wards are resolved to one of these at intake.
 */
public record Target(Type type, String id) {
    public enum Type { ROLE, PERSON }

    public Target {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Target role(String roleId) {
        return new Target(Type.ROLE, roleId);
    }

    public static Target person(String staffId) {
        return new Target(Type.PERSON, staffId);
    }
}
