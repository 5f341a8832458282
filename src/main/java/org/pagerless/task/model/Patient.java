package org.pagerless.task.model;

/** The patient a task is about. Patient data: never logged, never sent outside the authenticated app. */
public record Patient(String nhsNumber, String name) {
    @Override
    public String toString() {
        return "Patient[redacted]";
    }
}
