package org.pagerless.task.model;

import java.util.Arrays;
import java.util.Optional;

/** How soon a task must be acted on, using the FHIR R4 request-priority codes. */
public enum Priority {
    ROUTINE, URGENT, ASAP, STAT;

    /** The FHIR code, e.g. {@code "stat"}. */
    public String code() {
        return name().toLowerCase();
    }

    /** Higher is more urgent; inboxes sort by this. */
    public int rank() {
        return ordinal();
    }

    public static Optional<Priority> fromCode(String code) {
        return Arrays.stream(values()).filter(p -> p.code().equals(code)).findFirst();
    }
}
