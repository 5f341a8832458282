package org.pagerless.delivery.model;

import java.util.Locale;

/**
 * The words sent off the app (SMS, lock screens). By construction they carry only the priority, the
 * kind, the ward, a short reference and how to act: this type is never given the patient, the bed or
 * the clinical detail, so it cannot leak them.
 */
public final class PageText {
    private PageText() {
    }

    /** e.g. "URGENT task, Ward 7B, ref 3F2A9C. Reply 1 accept, 2 decline, 3 pass up. Details in the Pagerless app." */
    public static String sms(String priority, boolean fyi, String kind, String wardName, String ref) {
        StringBuilder text = new StringBuilder();
        text.append(fyi ? "FYI" : priority.toUpperCase(Locale.ROOT)).append(' ')
                .append(kind == null ? "task" : kind.toLowerCase(Locale.ROOT));
        if (wardName != null && !wardName.isBlank()) {
            text.append(", Ward ").append(wardName);
        }
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

    /** One page in a bundled text: what {@link #sms} is given, and nothing more. */
    public record Line(String priority, boolean fyi, String kind, String wardName, String ref) {
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
