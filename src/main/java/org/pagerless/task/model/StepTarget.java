package org.pagerless.task.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Whom one step of an escalation chain reaches. {@code id} names the role or person for {@link Kind#ROLE}
 * and {@link Kind#PERSON}; the other kinds are resolved from the task (its addressee, its ward) and the
 * hospital's duty roster at the moment the step is entered.
 */
public record StepTarget(Kind kind, String id) {

    public enum Kind {
        /** Whoever the task was addressed to: the holders of its role, or the named person. */
        ADDRESSEE,
        /** The holders of another role, e.g. the medical registrar on call. */
        ROLE,
        /** The nurse in charge of the task's ward. */
        WARD_NURSE_IN_CHARGE,
        /** The Hospital at Night coordinator. */
        COORDINATOR,
        /** The switchboard operator on duty. */
        SWITCHBOARD,
        /** A named member of staff. */
        PERSON;

        /** The wire code, e.g. {@code "ward-nurse-in-charge"}. */
        public String code() {
            return name().toLowerCase().replace('_', '-');
        }

        public static Optional<Kind> fromCode(String code) {
            return Arrays.stream(values()).filter(k -> k.code().equals(code)).findFirst();
        }
    }

    public StepTarget {
        Objects.requireNonNull(kind, "kind");
        boolean named = kind == Kind.ROLE || kind == Kind.PERSON;
        if (named && (id == null || id.isBlank())) {
            throw new IllegalArgumentException(kind.code() + " needs an id");
        }
        if (!named) {
            id = null;
        }
    }

    public static StepTarget addressee() {
        return new StepTarget(Kind.ADDRESSEE, null);
    }

    public static StepTarget role(String roleId) {
        return new StepTarget(Kind.ROLE, roleId);
    }

    public static StepTarget wardNurseInCharge() {
        return new StepTarget(Kind.WARD_NURSE_IN_CHARGE, null);
    }

    public static StepTarget coordinator() {
        return new StepTarget(Kind.COORDINATOR, null);
    }

    public static StepTarget switchboard() {
        return new StepTarget(Kind.SWITCHBOARD, null);
    }

    public static StepTarget person(String staffId) {
        return new StepTarget(Kind.PERSON, staffId);
    }

    /**
     * Whether this target is someone whose job is to act when nobody else does: the ward's nurse in
     * charge, the coordinator or switchboard. A chain's last step must reach one of them.
     */
    public boolean mustAct() {
        return kind == Kind.WARD_NURSE_IN_CHARGE || kind == Kind.COORDINATOR || kind == Kind.SWITCHBOARD;
    }
}
