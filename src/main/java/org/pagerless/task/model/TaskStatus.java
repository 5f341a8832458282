package org.pagerless.task.model;

/** The task lifecycle; the names are the FHIR R4 {@code Task.status} codes except {@code offered}. */
public enum TaskStatus {
    REQUESTED, OFFERED, ACCEPTED, IN_PROGRESS, COMPLETED, CANCELLED, FAILED;

    public boolean isOpen() {
        return this != COMPLETED && this != CANCELLED && this != FAILED;
    }

    /** The wire code, e.g. {@code "in-progress"}. */
    public String code() {
        return name().toLowerCase().replace('_', '-');
    }
}
