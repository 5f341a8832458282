package org.pagerless.delivery.model;

/** What a key pressed during a page call asks for: {@code 1} accept, {@code 2} decline, {@code 9} repeat. */
public enum VoiceKey {
    ACCEPT,
    DECLINE,
    REPEAT,
    /** Any other key, or none: it does nothing, and the call says so. */
    NOTHING;

    public static VoiceKey of(String digits) {
        switch (digits == null ? "" : digits.trim()) {
            case "1":
                return ACCEPT;
            case "2":
                return DECLINE;
            case "9":
                return REPEAT;
            default:
                return NOTHING;
        }
    }
}
