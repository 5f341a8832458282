package org.pagerless.intake;

import java.util.Optional;
import java.util.regex.Pattern;

/** NHS number rules: ten digits, the last a modulus 11 check digit. FHIR system {@value #SYSTEM}. */
public final class NhsNumber {
    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    private static final Pattern ALL_DIGITS = Pattern.compile("\\d{10}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s-]");

    private NhsNumber() {
    }

    /** Why {@code value} is not a valid NHS number, or empty if it is. Spaces and dashes are allowed between digits. */
    public static Optional<String> problem(String value) {
        String digits = normalise(value);
        if (!ALL_DIGITS.matcher(digits).matches()) {
            return Optional.of("must be 10 digits");
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        if (check == 10 || check != digits.charAt(9) - '0') {
            return Optional.of("fails the NHS number modulus 11 check");
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern TEN_DIGITS =
            java.util.regex.Pattern.compile("(?<!\\d)(\\d{3})[\\s-]?(\\d{3})[\\s-]?(\\d{4})(?!\\d)");

    /**
     * Whether free text (a bleep message) contains a valid NHS number: ten digits, as written on a wristband or
     * in notes (3-3-4 with spaces or dashes, or run together), whose check digit is right. A bleep message travels
     * by text and shows on boards, so it must not carry one.
     */
    public static boolean foundIn(String text) {
        if (text == null) {
            return false;
        }
        java.util.regex.Matcher m = TEN_DIGITS.matcher(text);
        while (m.find()) {
            if (problem(m.group(1) + m.group(2) + m.group(3)).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The ten digits without separators. */
    public static String normalise(String value) {
        return value == null ? "" : SEPARATORS.matcher(value).replaceAll("");
    }
}
