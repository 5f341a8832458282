package org.pagerless.platform;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, with the invalid fields when there are any. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field and why, e.g. {@code patient.nhsNumber}: "fails the modulus 11 check". */
    public record Violation(String field, String reason) {
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, List.of());
    }
}
