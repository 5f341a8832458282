package org.pagerless.task.model;

import java.util.List;
import java.util.Objects;

/**
 * One step of a chain: whom it offers the task to, how long it waits for an accept (by priority), and
 * how many more times it offers again to the same step before the chain moves on.
 */
public record EscalationStep(String name, List<StepTarget> targets, Timeouts acceptWithin, int repeat) {

    public EscalationStep {
        targets = List.copyOf(targets);
        Objects.requireNonNull(acceptWithin, "acceptWithin");
    }

    /** A step with the default acceptance timeouts (stat 2, asap 5, urgent 10, routine 30 minutes). */
    public static EscalationStep of(String name, int repeat, StepTarget... targets) {
        return new EscalationStep(name, List.of(targets), Timeouts.ACCEPT, repeat);
    }

    public boolean reachesSomeoneWhoMustAct() {
        return targets.stream().anyMatch(StepTarget::mustAct);
    }
}
