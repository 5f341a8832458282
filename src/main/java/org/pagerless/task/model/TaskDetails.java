package org.pagerless.task.model;

/**
 * What the task says. A bleep has a callback number and a short message; a clinical task has a
 * patient, a location, a task type, SBAR detail and optionally a NEWS2 score. Unused parts are null.
 */
public record TaskDetails(String callback, String message, Patient patient, Location location,
                          String type, String detail, Integer news2) {

    public static TaskDetails bleep(String callback, String message) {
        return new TaskDetails(callback, message, null, null, null, null, null);
    }

    public String wardId() {
        return location == null ? null : location.wardId();
    }

    @Override
    public String toString() {
        return "TaskDetails[redacted]";
    }
}
