package org.pagerless.delivery.model;

import java.util.UUID;

/**
 * What a Web Push carries to the phone, encrypted: the delivery (for the read receipt), the
 * notification, priority, kind, ward, the short reference and the lock-screen line made of those.
 * Like {@link PageText} it is never given the patient, the bed or the clinical detail: a lock screen
 * is read by whoever picks the phone up.
 */
public record PushMessage(UUID deliveryId, UUID notificationId, String priority, boolean fyi, String kind, String ward,
                          String ref, String text) {

    public static PushMessage of(UUID deliveryId, UUID notificationId, String priority, boolean fyi, String kind,
                                 String wardName, String ref) {
        return of(deliveryId, notificationId, priority, fyi, kind, wardName, ref, null);
    }

    /** With a bleep's callback on the lock screen: "STAT bleep, call 2222, ref 0A1B2C — open Pagerless". */
    public static PushMessage of(UUID deliveryId, UUID notificationId, String priority, boolean fyi, String kind,
                                 String wardName, String ref, String callback) {
        return new PushMessage(deliveryId, notificationId, priority, fyi,
                kind == null ? "task" : kind.toLowerCase(java.util.Locale.ROOT), wardName, ref,
                PageText.push(priority, fyi, kind, wardName, ref, callback));
    }

    /**
     * RFC 8030 {@code Urgency}: {@code high} for stat, asap and urgent (a phone in power saving would
     * otherwise hold the push back, and the SMS fallback is minutes away), {@code normal} for routine,
     * {@code low} for fyi.
     */
    public String urgency() {
        if (fyi) {
            return "low";
        }
        return switch (priority) {
            case "stat", "asap", "urgent" -> "high";
            default -> "normal";
        };
    }

    /** RFC 8030 {@code Topic}: a repeat of the same notification replaces an undelivered one at the push service. */
    public String topic() {
        return notificationId.toString().replace("-", "");
    }
}
