package org.pagerless.platform;

import java.util.List;

import org.pagerless.platform.Problem.Violation;

/**
 * How every request's free-text field is read: trimmed, blank is the same as absent, and the limit is on the trimmed
 * length. One wording for each refusal, naming the field: "is required" (with why, when that helps) and
 * "is too long: at most N characters".
 */
public final class TextField {
    private TextField() {
    }

    /** The text trimmed; null when null or blank. */
    public static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The reason a text longer than {@code max} is refused. */
    public static String tooLong(int max) {
        return "is too long: at most " + max + " characters";
    }

    /** A text that may be left out: trimmed or null; 400 naming {@code field} when too long. */
    public static String optional(String field, String value, int max) {
        String text = trimmed(value);
        if (text != null && text.length() > max) {
            throw new InvalidRequest(field, tooLong(max));
        }
        return text;
    }

    /** A text that must be given: trimmed; 400 naming {@code field} when missing ("is required: {@code why}") or too long. */
    public static String required(String field, String value, int max, String why) {
        String text = trimmed(value);
        if (text == null) {
            throw new InvalidRequest(field, why == null ? "is required" : "is required: " + why);
        }
        if (text.length() > max) {
            throw new InvalidRequest(field, tooLong(max));
        }
        return text;
    }

    /** As above, for a request checked whole: each problem is added to {@code violations}; answers the text read. */
    public static String check(String field, String value, boolean required, int max, List<Violation> violations) {
        String text = trimmed(value);
        if (text == null && required) {
            violations.add(new Violation(field, "is required"));
        } else if (text != null && text.length() > max) {
            violations.add(new Violation(field, tooLong(max)));
        }
        return text;
    }
}
