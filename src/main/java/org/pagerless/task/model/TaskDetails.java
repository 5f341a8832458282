package org.pagerless.task.model;

/**
 * What the task says. A bleep has a callback number and a short message; a clinical task has a
 * patient, a location, a task type, SBAR detail and optionally a NEWS2 score. Unused parts are null.
 * {@code messageNamesPatient} is true when intake found a known patient's name in the message (flagged to its sender
 * and wherever the message is shown); null otherwise.
 */
public record TaskDetails(String callback, String message, Patient patient, Location location,
                          String type, String detail, Integer news2, Boolean messageNamesPatient) {

    public TaskDetails(String callback, String message, Patient patient, Location location, String type, String detail,
                       Integer news2) {
        this(callback, message, patient, location, type, detail, news2, null);
    }

    /** The same details, with the message flagged as naming a patient. */
    public TaskDetails namingPatient() {
        return new TaskDetails(callback, message, patient, location, type, detail, news2, Boolean.TRUE);
    }

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
