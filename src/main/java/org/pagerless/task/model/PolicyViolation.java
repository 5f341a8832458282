package org.pagerless.task.model;

/** One reason a policy cannot be saved: the offending part ({@code steps[2].targets}) and why, naming the step. */
public record PolicyViolation(String field, String reason) {
}
