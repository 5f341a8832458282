package org.pagerless.delivery.model;

import java.util.UUID;

/**
 * What a new-message Web Push carries to the phone, encrypted: the delivery (for the read receipt), the conversation
 * to open, and the lock-screen line "New message in Ward 7B team". Never the message's text, its author's words or a
 * photo: a message may name the patient, and a lock screen is read by whoever picks the phone up. {@code tag} makes
 * the service worker replace the conversation's previous notice instead of stacking one per message.
 */
public record MessagePush(UUID deliveryId, UUID notificationId, String kind, UUID conversationId, String tag,
                          String text) {

    public static MessagePush of(UUID deliveryId, UUID notificationId, UUID conversationId, String title,
                                 boolean mention) {
        return new MessagePush(deliveryId, notificationId, mention ? "mention" : "message", conversationId,
                "conversation-" + conversationId, PageText.message(title, mention));
    }

    /** RFC 8030 {@code Urgency}: chat never wakes a phone in power saving before a page would. */
    public String urgency() {
        return "normal";
    }

    /** RFC 8030 {@code Topic}: the conversation, so the push service keeps only the newest undelivered notice. */
    public String topic() {
        return conversationId.toString().replace("-", "");
    }
}
