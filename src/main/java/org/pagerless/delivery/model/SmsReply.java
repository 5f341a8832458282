package org.pagerless.delivery.model;

import java.util.Locale;

/** What a text message sent back to Pagerless asks for. Parsing is forgiving of case and spacing. */
public sealed interface SmsReply {

    /** An answer to a page: {@code 1} accept, {@code 2} decline, {@code 3} pass up; {@code ref} when given. */
    record Answer(String ref, Action action) implements SmsReply {
    }

    /** Stop sending texts to this number. */
    record Stop() implements SmsReply {
    }

    /** Start sending texts to this number again. */
    record Start() implements SmsReply {
    }

    /** Anything else. */
    record Unknown() implements SmsReply {
    }

    enum Action { ACCEPT, DECLINE, PASS_UP }

    static SmsReply parse(String body) {
        String text = body == null ? "" : body.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        switch (text) {
            case "STOP":
            case "STOPALL":
            case "UNSUBSCRIBE":
                return new Stop();
            case "START":
            case "UNSTOP":
                return new Start();
            default:
                break;
        }
        String[] parts = text.split(" ");
        if (parts.length == 1) {
            Action action = action(parts[0]);
            return action == null ? new Unknown() : new Answer(null, action);
        }
        if (parts.length == 2 && parts[0].matches("[0-9A-F]{4,8}")) {
            Action action = action(parts[1]);
            return action == null ? new Unknown() : new Answer(parts[0], action);
        }
        return new Unknown();
    }

    private static Action action(String code) {
        switch (code) {
            case "1":
                return Action.ACCEPT;
            case "2":
                return Action.DECLINE;
            case "3":
                return Action.PASS_UP;
            default:
                return null;
        }
    }
}
