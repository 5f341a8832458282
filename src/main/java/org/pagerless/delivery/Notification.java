package org.pagerless.delivery;

import java.time.Instant;
import java.util.UUID;

import org.pagerless.platform.Ids;

/**
 * One person to be told about one thing, as published on {@code pagerless.notifications.v1} (key = staff id):
 * a task event (a page: {@code taskId} set), or a new message in a conversation ({@code conversationId} and its
 * {@code title} set, {@code kind} {@value #MESSAGE} or {@value #MENTION}). Carries what delivery needs to say and
 * nothing of the patient: never a message's text. The id is derived from the event (or message) id and the person,
 * so planning the same thing twice yields the same notification.
 */
public record Notification(UUID id, UUID eventId, UUID taskId, String staffId, String priority, boolean fyi,
                           String kind, String wardId, String ref, Instant offeredAt, String callback,
                           UUID conversationId, String title) {
    /** A new message in a conversation the person is in (and has not muted). */
    public static final String MESSAGE = "MESSAGE";
    /** A message that mentions the person (even in a conversation they muted). */
    public static final String MENTION = "MENTION";

    /** A page about a task (no callback). */
    public Notification(UUID id, UUID eventId, UUID taskId, String staffId, String priority, boolean fyi, String kind,
                        String wardId, String ref, Instant offeredAt) {
        this(id, eventId, taskId, staffId, priority, fyi, kind, wardId, ref, offeredAt, null, null, null);
    }

    public static UUID idFor(UUID eventId, String staffId) {
        return Ids.named(eventId + "/" + staffId);
    }

    /**
     * "New message in {@code title}" for {@code staffId}, about the conversation's latest message {@code messageId}.
     * Goes by Web Push only (never a text or call); {@code title} must carry no patient data (a task thread's title is
     * its type and reference).
     */
    public static Notification message(UUID messageId, UUID conversationId, String title, String staffId,
                                       boolean mention, Instant postedAt) {
        return new Notification(idFor(messageId, staffId), messageId, null, staffId, "routine", false,
                mention ? MENTION : MESSAGE, null, conversationId.toString().substring(0, 6).toUpperCase(java.util.Locale.ROOT),
                postedAt, null, conversationId, title);
    }

    /** Whether this is about a conversation rather than a task. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isMessage() {
        return conversationId != null;
    }
}
