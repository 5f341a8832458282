package org.pagerless.platform;

import java.util.List;

/** The request broke one or more rules; answered 400 with every violation listed. */
public class InvalidRequest extends RuntimeException {
    private final List<Problem.Violation> violations;

    public InvalidRequest(List<Problem.Violation> violations) {
        super(violations.size() + " invalid field(s)");
        this.violations = List.copyOf(violations);
    }

    public InvalidRequest(String field, String reason) {
        this(List.of(new Problem.Violation(field, reason)));
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
