package org.pagerless.escalation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.EscalationStep;
import org.pagerless.task.model.PolicyViolation;
import org.pagerless.task.model.StepTarget;
import org.pagerless.task.model.Timeouts;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;

/**
 * An escalation policy as admins read and write it over REST: targets by kind code and role/staff id,
 * timeouts in whole minutes per priority (omitted ones take the defaults). {@link #toPolicy} checks it
 * against the hospital's roles and staff and against {@link EscalationPolicy#violations()}, and reports
 * every problem by field, naming the step.
 */
public record PolicyDocument(String roleId, String name, List<StepDocument> steps, Minutes startWithinMinutes,
                             Minutes completeWithinMinutes) {
    private static final String KINDS = String.join(", ",
            Arrays.stream(StepTarget.Kind.values()).map(StepTarget.Kind::code).toList());

    /** Whom a step reaches: {@code kind} one of addressee, role, ward-nurse-in-charge, coordinator, switchboard, person. */
    public record TargetDocument(String kind, String id) {
    }

    /** Minutes per priority. */
    public record Minutes(Integer stat, Integer asap, Integer urgent, Integer routine) {
        static Minutes of(Timeouts t) {
            return new Minutes(minutes(t.stat()), minutes(t.asap()), minutes(t.urgent()), minutes(t.routine()));
        }

        Timeouts or(Timeouts defaults) {
            return new Timeouts(pick(stat, defaults.stat()), pick(asap, defaults.asap()),
                    pick(urgent, defaults.urgent()), pick(routine, defaults.routine()));
        }

        private static Duration pick(Integer minutes, Duration fallback) {
            return minutes == null ? fallback : Duration.ofMinutes(minutes);
        }

        private static int minutes(Duration d) {
            return (int) d.toMinutes();
        }
    }

    public record StepDocument(String name, List<TargetDocument> targets, Minutes acceptWithinMinutes, Integer repeat) {
    }

    public static PolicyDocument of(EscalationPolicy policy) {
        return new PolicyDocument(policy.id(), policy.name(), policy.steps().stream()
                .map(s -> new StepDocument(s.name(), s.targets().stream()
                        .map(t -> new TargetDocument(t.kind().code(), t.id())).toList(),
                        Minutes.of(s.acceptWithin()), s.repeat()))
                .toList(), Minutes.of(policy.startWithin()), Minutes.of(policy.completeWithin()));
    }

    /** The policy for {@code roleId}, if every part is sound; otherwise {@link InvalidRequest} listing each problem. */
    public EscalationPolicy toPolicy(String roleId, Hospital hospital) {
        List<Violation> violations = new ArrayList<>();
        List<EscalationStep> mapped = new ArrayList<>();
        List<StepDocument> given = steps == null ? List.of() : steps;
        for (int i = 0; i < given.size(); i++) {
            StepDocument step = given.get(i);
            if (step == null) {
                violations.add(new Violation("steps[" + i + "]", "step " + (i + 1) + " is empty"));
                continue;
            }
            String label = "step " + (i + 1) + (step.name() == null || step.name().isBlank() ? "" : " '" + step.name() + "'");
            List<StepTarget> targets = new ArrayList<>();
            List<TargetDocument> givenTargets = step.targets() == null ? List.of() : step.targets();
            for (int j = 0; j < givenTargets.size(); j++) {
                String field = "steps[" + i + "].targets[" + j + "]";
                StepTarget target = target(givenTargets.get(j), field, label, hospital, violations);
                if (target != null) {
                    targets.add(target);
                }
            }
            Timeouts accept = step.acceptWithinMinutes() == null ? Timeouts.ACCEPT
                    : step.acceptWithinMinutes().or(Timeouts.ACCEPT);
            mapped.add(new EscalationStep(step.name() == null ? null : step.name().trim(), targets, accept,
                    step.repeat() == null ? 0 : step.repeat()));
        }
        EscalationPolicy policy = new EscalationPolicy(roleId, name == null ? null : name.trim(), mapped,
                startWithinMinutes == null ? Timeouts.START : startWithinMinutes.or(Timeouts.START),
                completeWithinMinutes == null ? Timeouts.COMPLETE : completeWithinMinutes.or(Timeouts.COMPLETE));
        // Unknown targets are already reported; don't also report the step they left empty.
        for (PolicyViolation v : policy.violations()) {
            boolean alreadyReported = violations.stream().anyMatch(r -> r.field().startsWith(v.field() + "["));
            if (!alreadyReported || !v.reason().contains("reaches nobody")) {
                violations.add(new Violation(v.field(), v.reason()));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        return policy;
    }

    private static StepTarget target(TargetDocument doc, String field, String label, Hospital hospital,
                                     List<Violation> violations) {
        if (doc == null || doc.kind() == null) {
            violations.add(new Violation(field + ".kind", label + ": say whom to reach: " + KINDS));
            return null;
        }
        StepTarget.Kind kind = StepTarget.Kind.fromCode(doc.kind()).orElse(null);
        if (kind == null) {
            violations.add(new Violation(field + ".kind", label + ": unknown kind '" + doc.kind() + "'; one of " + KINDS));
            return null;
        }
        if (kind == StepTarget.Kind.ROLE) {
            Role role = doc.id() == null ? null : hospital.role(doc.id()).orElse(null);
            if (role == null) {
                violations.add(new Violation(field + ".id", label + ": no role '" + doc.id() + "'"));
                return null;
            }
            return StepTarget.role(role.id());
        }
        if (kind == StepTarget.Kind.PERSON) {
            if (doc.id() == null || hospital.staff(doc.id()).isEmpty()) {
                violations.add(new Violation(field + ".id", label + ": no member of staff '" + doc.id() + "'"));
                return null;
            }
            return StepTarget.person(doc.id());
        }
        return new StepTarget(kind, null);
    }
}
