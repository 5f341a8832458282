package org.pagerless.delivery;

import java.time.Instant;
import java.util.UUID;

import org.pagerless.platform.Ids;

/**
 * One person to be told about one task event, as published on {@code pagerless.notifications.v1}
 * (key = staff id). Carries what delivery needs to say and nothing of the patient. The id is derived
 * from the event id and the person, so planning the same event twice yields the same notification.
 */
public record Notification(UUID id, UUID eventId, UUID taskId, String staffId, String priority, boolean fyi,
                           String kind, String wardId, String ref, Instant offeredAt) {

    public static UUID idFor(UUID eventId, String staffId) {
        return Ids.named(eventId + "/" + staffId);
    }
}
