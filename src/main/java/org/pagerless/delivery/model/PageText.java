package org.pagerless.delivery.model;

import java.util.Locale;

/**
 * The words sent off the app (SMS, voice calls, lock screens). By construction they carry only the priority, the
 * kind, the ward, a short reference and how to act: this type is never given the patient, the bed or
 * the clinical detail, so it cannot leak them.
 */
public final class PageText {
    private PageText() {
    }

    /** e.g. "URGENT task, Ward 7B, ref 3F2A9C. Reply 1 accept, 2 decline, 3 pass up. Details in the Pagerless app." */
    public static String sms(String priority, boolean fyi, String kind, String wardName, String ref) {
        return sms(priority, fyi, kind, wardName, ref, null);
    }

    /**
     * As {@link #sms(String, boolean, String, String, String)}, with a bleep's callback number or extension, e.g.
     * "STAT bleep, call 2222, ref 0A1B2C. Reply 1 accept, …": what a pager showed, and no patient data (intake
     * accepts only digits, +, #, brackets and spaces there).
     */
    public static String sms(String priority, boolean fyi, String kind, String wardName, String ref, String callback) {
        StringBuilder text = head(priority, fyi, kind, wardName, callback);
        text.append(", ref ").append(ref).append('.');
        if ("BROADCAST".equalsIgnoreCase(kind)) {
            // A broadcast is acknowledged, not accepted: a text reply cannot do it.
            return text.append(" Acknowledge in the Pagerless app now.").toString();
        }
        if (!fyi) {
            text.append(" Reply 1 accept, 2 decline, 3 pass up.");
        }
        text.append(" Details in the Pagerless app.");
        return text.toString();
    }

    /** The lock-screen line of a push, e.g. "URGENT task, Ward 7B, ref 3F2A9C — open Pagerless". */
    public static String push(String priority, boolean fyi, String kind, String wardName, String ref) {
        return push(priority, fyi, kind, wardName, ref, null);
    }

    /** As {@link #push(String, boolean, String, String, String)}, e.g. "STAT bleep, call 2222, ref 0A1B2C — open Pagerless". */
    public static String push(String priority, boolean fyi, String kind, String wardName, String ref, String callback) {
        return head(priority, fyi, kind, wardName, callback).append(", ref ").append(ref)
                .append(" \u2014 open Pagerless").toString();
    }

    /**
     * The lock-screen line of a new-message push: "New message in Ward 7B team", or "You were mentioned in Ward 7B
     * team". Where, never what: a message may name the patient, so its text never leaves the app.
     */
    public static String message(String conversationTitle, boolean mention) {
        return (mention ? "You were mentioned in " : "New message in ") + conversationTitle;
    }

    /** "URGENT task, Ward 7B" or "STAT bleep, call 2222". */
    private static StringBuilder head(String priority, boolean fyi, String kind, String wardName, String callback) {
        StringBuilder text = new StringBuilder();
        text.append(fyi ? "FYI" : priority.toUpperCase(Locale.ROOT)).append(' ')
                .append(kind == null ? "task" : kind.toLowerCase(Locale.ROOT));
        if (wardName != null && !wardName.isBlank()) {
            text.append(", Ward ").append(wardName);
        }
        if (callback != null && !callback.isBlank()) {
            text.append(", call ").append(callback.strip());
        }
        return text;
    }

    /**
     * What a page call says, e.g. "Urgent task from Ward 7B, reference 3 F 2 A 9 C. Press 1 to accept, 2 to
     * decline, 9 to repeat." The reference is spelled out character by character, so speech reads it as letters
     * and digits. A broadcast is acknowledged, not accepted: the call says to do it in the app.
     */
    public static String voice(String priority, String kind, String wardName, String ref) {
        boolean broadcast = "BROADCAST".equalsIgnoreCase(kind);
        StringBuilder text = new StringBuilder(broadcast ? "Emergency broadcast"
                : spokenPriority(priority) + " " + (kind == null ? "task" : kind.toLowerCase(Locale.ROOT)));
        if (wardName != null && !wardName.isBlank()) {
            text.append(" from Ward ").append(wardName);
        }
        text.append(", reference ").append(spell(ref)).append('.');
        if (broadcast) {
            return text.append(" Acknowledge in the Pagerless app now. Press 9 to repeat.").toString();
        }
        return text.append(" Press 1 to accept, 2 to decline, 9 to repeat.").toString();
    }

    /** "3F2A9C" as "3 F 2 A 9 C": one character at a time. */
    public static String spell(String ref) {
        return String.join(" ", ref.split(""));
    }

    private static String spokenPriority(String priority) {
        switch (priority == null ? "" : priority.toLowerCase(Locale.ROOT)) {
            case "stat":
                return "Stat";
            case "asap":
                return "ASAP";
            case "urgent":
                return "Urgent";
            case "routine":
                return "Routine";
            default:
                return "New";
        }
    }

    /** One page in a bundled text: what {@link #sms} is given, and nothing more. */
    public record Line(String priority, boolean fyi, String kind, String wardName, String ref, String callback) {
        public Line(String priority, boolean fyi, String kind, String wardName, String ref) {
            this(priority, fyi, kind, wardName, ref, null);
        }
    }

    /**
     * Several pages for one person in one text (the SMS rate limit, {@link SmsThrottle}), e.g. "3 Pagerless
     * pages: URGENT task Ward 7B ref 3F2A9C; ROUTINE bleep ref 11B0C2; ASAP task Ward AMU ref 0D4E11. Reply
     * the ref then 1 accept, 2 decline, 3 pass up (e.g. 3F2A9C 1). Details in the Pagerless app."
     */
    public static String bundle(java.util.List<Line> lines) {
        StringBuilder text = new StringBuilder().append(lines.size()).append(" Pagerless pages: ");
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (i > 0) {
                text.append("; ");
            }
            text.append(l.fyi() ? "FYI" : l.priority().toUpperCase(Locale.ROOT)).append(' ')
                    .append(l.kind() == null ? "task" : l.kind().toLowerCase(Locale.ROOT));
            if (l.wardName() != null && !l.wardName().isBlank()) {
                text.append(" Ward ").append(l.wardName());
            }
            if (l.callback() != null && !l.callback().isBlank()) {
                text.append(" call ").append(l.callback().strip());
            }
            text.append(" ref ").append(l.ref());
        }
        return text.append(". Reply the ref then 1 accept, 2 decline, 3 pass up (e.g. ").append(lines.get(0).ref())
                .append(" 1). Details in the Pagerless app.").toString();
    }

    /** The short reference a person can type back: the first six hex digits of the task id, upper case. */
    public static String ref(java.util.UUID taskId) {
        return taskId.toString().substring(0, 6).toUpperCase(Locale.ROOT);
    }
}
