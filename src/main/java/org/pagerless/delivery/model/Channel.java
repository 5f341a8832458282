package org.pagerless.delivery.model;

import java.util.Locale;
import java.util.Optional;

/** A way of reaching a person's phone. */
public enum Channel {
    /** The Pagerless app: the inbox and the live feed. */
    IN_APP("in-app"),
    /** A text message through Twilio. */
    SMS("sms"),
    /** Web Push (RFC 8030) to the browsers the person turned alerts on in: the lock screen, app closed. */
    PUSH("push"),
    /** A phone call through Twilio: the page is spoken and answered by key press. */
    VOICE("voice");

    private final String code;

    Channel(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Channel> fromCode(String code) {
        String wanted = code.trim().toLowerCase(Locale.ROOT);
        for (Channel c : values()) {
            if (c.code.equals(wanted)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
