package org.pagerless.task.model;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that must not be used: thrown with every violation found. */
public class InvalidPolicy extends RuntimeException {
    private final transient List<PolicyViolation> violations;

    public InvalidPolicy(List<PolicyViolation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.reason()).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<PolicyViolation> violations() {
        return violations;
    }
}
