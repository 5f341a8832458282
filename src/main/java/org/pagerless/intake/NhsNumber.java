package org.pagerless.intake;

import java.util.Optional;

/** NHS number rules: ten digits, the last a modulus 11 check digit. FHIR system {@value #SYSTEM}. */
public final class NhsNumber {
    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private NhsNumber() {
    }

    /** Why {@code value} is not a valid NHS number, or empty if it is. Spaces and dashes are allowed between digits. */
    public static Optional<String> problem(String value) {
        String digits = normalise(value);
        if (!digits.matches("\\d{10}")) {
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

    /** The ten digits without separators. */
    public static String normalise(String value) {
        return value == null ? "" : value.replaceAll("[\\s-]", "");
    }
}
