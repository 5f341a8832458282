package org.pagerless.task.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;


/**
 * An escalation chain: ordered steps tried one after another until someone accepts, and how long an
 * owner has to start and to complete the work once accepted. Snapshotted onto each task when it is
 * raised, so the task keeps the chain it actually had even if the policy is edited later.
 *
 * <p>A policy is only usable once {@link #validate()} finds nothing: in particular its last step must
 * reach someone whose job is to act (the ward's nurse in charge, the coordinator or switchboard), so a
 * chain can never end with nobody responsible.
 */
public record EscalationPolicy(String id, String name, List<EscalationStep> steps, Timeouts startWithin,
                               Timeouts completeWithin) {
    /** More repeats than this is a loop that hides a task from everyone further up the chain. */
    public static final int MAX_REPEAT = 9;
    /** No step waits longer than this for an accept. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    public EscalationPolicy {
        steps = List.copyOf(steps);
        Objects.requireNonNull(startWithin, "startWithin");
        Objects.requireNonNull(completeWithin, "completeWithin");
    }

    /** A policy with the default start and complete reminders. */
    public static EscalationPolicy of(String id, String name, EscalationStep... steps) {
        return new EscalationPolicy(id, name, List.of(steps), Timeouts.START, Timeouts.COMPLETE);
    }

    /**
     * The chain for a task whose addressee has no policy of its own. The addressee is offered the task
     * (again, for less urgent work, before moving on); then the ward's nurse in charge, the coordinator
     * and switchboard are offered it together, because one of them must find someone.
     */
    public static EscalationPolicy defaultFor(Priority priority) {
        int repeat = priority == Priority.STAT ? 0 : priority == Priority.ROUTINE ? 2 : 1;
        return of("default-" + priority.code(), "Default (" + priority.code() + ")",
                EscalationStep.of("Addressee", repeat, StepTarget.addressee()),
                EscalationStep.of("Nurse in charge, coordinator and switchboard", 1,
                        StepTarget.wardNurseInCharge(), StepTarget.coordinator(), StepTarget.switchboard()));
    }

    /** Step {@code level}, counting from 1. */
    public EscalationStep step(int level) {
        return steps.get(level - 1);
    }

    /** The number of the last step. */
    public int lastLevel() {
        return steps.size();
    }

    /** Every reason this policy must not be used; empty when it is sound. Steps are named by number and name. */
    public List<PolicyViolation> violations() {
        List<PolicyViolation> found = new ArrayList<>();
        if (name == null || name.isBlank()) {
            found.add(new PolicyViolation("name", "is required"));
        }
        if (steps.isEmpty()) {
            found.add(new PolicyViolation("steps", "a chain needs at least one step"));
            return found;
        }
        for (int i = 0; i < steps.size(); i++) {
            EscalationStep step = steps.get(i);
            String field = "steps[" + i + "]";
            String label = label(i);
            if (step.targets().isEmpty()) {
                found.add(new PolicyViolation(field + ".targets", label + " reaches nobody: give it at least one target"));
            }
            Priority notPositive = step.acceptWithin().firstNotPositive();
            if (notPositive != null) {
                found.add(new PolicyViolation(field + ".acceptWithin." + notPositive.code(),
                        label + " must wait a positive time for an accept"));
            }
            for (Priority p : Priority.values()) {
                if (step.acceptWithin().of(p).compareTo(MAX_TIMEOUT) > 0) {
                    found.add(new PolicyViolation(field + ".acceptWithin." + p.code(),
                            label + " waits longer than 24 hours for an accept"));
                }
            }
            if (step.repeat() < 0 || step.repeat() > MAX_REPEAT) {
                found.add(new PolicyViolation(field + ".repeat", label + " must repeat between 0 and " + MAX_REPEAT
                        + " times"));
            }
        }
        int last = steps.size() - 1;
        if (!steps.get(last).reachesSomeoneWhoMustAct()) {
            found.add(new PolicyViolation("steps[" + last + "].targets", label(last) + " is the last step and could "
                    + "end with no one responsible: it must reach the ward's nurse in charge, the coordinator or "
                    + "switchboard"));
        }
        if (startWithin.firstNotPositive() != null) {
            found.add(new PolicyViolation("startWithin." + startWithin.firstNotPositive().code(), "must be positive"));
        }
        if (completeWithin.firstNotPositive() != null) {
            found.add(new PolicyViolation("completeWithin." + completeWithin.firstNotPositive().code(),
                    "must be positive"));
        }
        return found;
    }

    /** This policy, if sound; otherwise {@link InvalidPolicy} with every violation. */
    public EscalationPolicy validate() {
        List<PolicyViolation> found = violations();
        if (!found.isEmpty()) {
            throw new InvalidPolicy(found);
        }
        return this;
    }

    private String label(int index) {
        String stepName = steps.get(index).name();
        return "step " + (index + 1) + (stepName == null || stepName.isBlank() ? "" : " '" + stepName + "'");
    }
}
