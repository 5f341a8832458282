package org.pagerless.platform;

import java.util.Set;
import java.util.UUID;

/**
 * A message for the live feed of some signed-in people (CDI event): any feature fires it, the live WebSocket sends
 * {@code json} to the connections of everyone in {@code to} on this pod. It may carry patient data: the feed is
 * inside the authenticated app, never a notification. When it carries a task's patient ({@code patientTaskId} and
 * {@code nhsNumber}, e.g. a message in the task's thread), each delivery is audited as a read of that patient before
 * it goes, like a task event's (and does not go if it cannot be).
 */
public record LivePush(Set<String> to, String json, UUID patientTaskId, String nhsNumber) {
    public LivePush {
        to = Set.copyOf(to);
    }

    /** A message with no patient in it. */
    public LivePush(Set<String> to, String json) {
        this(to, json, null, null);
    }

    /** Whether each delivery must be audited as a read of a task's patient. */
    public boolean carriesPatient() {
        return patientTaskId != null && nhsNumber != null;
    }

    @Override
    public String toString() {
        return "LivePush[to " + to.size() + "]";
    }
}
