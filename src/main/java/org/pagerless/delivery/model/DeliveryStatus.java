package org.pagerless.delivery.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Where one notification on one channel has got to. Moves forward only: a late or repeated provider
 * callback never takes a delivery backwards (GoAlert's outbound state machine, plus {@code withdrawn}
 * for a fallback step that was no longer needed).
 */
public enum DeliveryStatus {
    /** Planned; waiting for its due time. */
    PENDING(0),
    /** Claimed by a dispatcher; the provider is being called. */
    SENDING(1),
    /** The provider has taken it. */
    QUEUED(2),
    /** The provider has handed it to the carrier (or the app has it in its inbox). */
    SENT(3),
    /** The provider gave up (with its reason), or we did after bounded retries. */
    FAILED(4),
    /** The handset has it. */
    DELIVERED(5),
    /** The person has seen it. */
    READ(6),
    /** Not sent, because it was no longer needed (read on another channel, accepted, cancelled, expired). */
    WITHDRAWN(7);

    private final int rank;

    DeliveryStatus(int rank) {
        this.rank = rank;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a delivery in this status may move to {@code next}. Forward only; {@code failed} may follow
     * {@code sent} (the carrier failed) but never {@code delivered}; {@code withdrawn} only replaces a
     * delivery that was never handed to a provider; a retry moves {@code sending} back to {@code pending}.
     */
    public boolean canMoveTo(DeliveryStatus next) {
        if (this == WITHDRAWN || this == READ) {
            return false;
        }
        if (next == WITHDRAWN) {
            return this == PENDING || this == SENDING;
        }
        if (this == SENDING && next == PENDING) {
            return true;
        }
        return next.rank > rank;
    }

    /** The codes of the statuses a delivery may move to {@code next} from ({@link #canMoveTo}), for a statement. */
    public static String[] codesMovingTo(DeliveryStatus next) {
        return java.util.Arrays.stream(values()).filter(s -> s.canMoveTo(next)).map(DeliveryStatus::code)
                .toArray(String[]::new);
    }

    public static Optional<DeliveryStatus> fromCode(String code) {
        for (DeliveryStatus s : values()) {
            if (s.code().equals(code)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Twilio's message status (status callbacks) in our terms; empty for statuses we do not track. */
    public static Optional<DeliveryStatus> fromTwilio(String status) {
        if (status == null) {
            return Optional.empty();
        }
        switch (status.toLowerCase(Locale.ROOT)) {
            case "accepted":
            case "scheduled":
            case "queued":
            case "sending":
                return Optional.of(QUEUED);
            case "sent":
                return Optional.of(SENT);
            case "delivered":
                return Optional.of(DELIVERED);
            case "read":
                return Optional.of(READ);
            case "undelivered":
            case "failed":
            case "canceled":
                return Optional.of(FAILED);
            default:
                return Optional.empty();
        }
    }

    /**
     * Twilio's call status (voice status callbacks) in our terms: queued or ringing is {@code sent}, answered
     * ({@code in-progress}) or {@code completed} is {@code delivered}; busy, no answer, failed and canceled are
     * {@code failed}. Empty for statuses we do not track.
     */
    public static Optional<DeliveryStatus> fromTwilioCall(String status) {
        if (status == null) {
            return Optional.empty();
        }
        switch (status.toLowerCase(Locale.ROOT)) {
            case "queued":
            case "initiated":
            case "ringing":
                return Optional.of(SENT);
            case "in-progress":
            case "answered":
            case "completed":
                return Optional.of(DELIVERED);
            case "busy":
            case "no-answer":
            case "failed":
            case "canceled":
                return Optional.of(FAILED);
            default:
                return Optional.empty();
        }
    }
}
