package org.pagerless.delivery;

import java.time.Instant;
import java.util.UUID;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;

/**
 * One row of the delivery outbox: one notification on one channel, and where it has got to. {@code claim} is the
 * fencing token of the row's latest claim (only its holder may record an outcome); {@code unsureSince}, when set,
 * is the instant (app clock) from which Twilio may hold a text or call for this row that we never learnt of.
 * {@code callback} is a bleep's number to call; {@code conversationId} and {@code title} are set instead of the task
 * for a new-message push (ADR 0038).
 */
public record Delivery(UUID id, UUID notificationId, UUID taskId, String staffId, Channel channel, int step,
                       String priority, boolean fyi, String kind, String wardId, String ref, DeliveryStatus status,
                       String reason, String address, String providerId, int attempts, Instant dueAt,
                       Instant expiresAt, Instant createdAt, Instant updatedAt, long claim, Instant unsureSince,
                       String callback, UUID conversationId, String title) {
    /** Whether this is a new-message push about a conversation (no task; Web Push only). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isMessage() {
        return conversationId != null;
    }
}
