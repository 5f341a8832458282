package org.pagerless.support;

import java.util.Map;

/** Test patients. Their names and NHS numbers must never appear in logs, metrics or off-app payloads. */
public final class Patients {
    /** A valid NHS number (modulus 11) and a name unlikely to occur anywhere by chance. */
    public static final String NHS_NUMBER = "9434765919";
    public static final String NAME = "Marjorie Testpatient-Quillfeather";
    /** Fails the modulus 11 check. */
    public static final String INVALID_NHS_NUMBER = "9434765918";

    private Patients() {
    }

    /** A ward nurse's request: cannula for the patient in bed 12, Ward 7B. */
    public static Map<String, Object> cannulaRequest(Map<String, Object> to, String priority) {
        return Map.of(
                "to", to,
                "patient", Map.of("nhsNumber", NHS_NUMBER, "name", NAME),
                "location", Map.of("ward", "7B", "bed", "12"),
                "type", "Cannula",
                "detail", "S: tissued cannula, IV antibiotics due 14:00. B: day 2 of pneumonia. "
                        + "A: obs stable. R: please re-site within the hour.",
                "priority", priority,
                "news2", 3);
    }
}
