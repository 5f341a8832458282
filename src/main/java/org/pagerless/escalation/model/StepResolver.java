package org.pagerless.escalation.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.pagerless.rota.model.Hospital;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.EscalationStep;
import org.pagerless.task.model.Reached;
import org.pagerless.task.model.ResolvedStep;
import org.pagerless.task.model.StepTarget;

/**
 * Resolves a chain's steps to people, live: who holds each target's role at {@code at}. Pure: the rota
 * and duties are passed in, so the same inputs always give the same people.
 */
public final class StepResolver {
    private final Hospital hospital;
    private final Duties duties;

    public StepResolver(Hospital hospital, Duties duties) {
        this.hospital = hospital;
        this.duties = duties;
    }

    /** Every step of {@code policy} for a task addressed to {@code addressee} on {@code wardId} (may be null). */
    public List<ResolvedStep> steps(EscalationPolicy policy, Target addressee, String wardId, Instant at) {
        List<ResolvedStep> resolved = new ArrayList<>();
        for (int level = 1; level <= policy.lastLevel(); level++) {
            EscalationStep step = policy.step(level);
            List<Reached> reached = step.targets().stream().map(t -> reach(t, addressee, wardId, at)).toList();
            resolved.add(new ResolvedStep(level, step.name(), reached));
        }
        return resolved;
    }

    /** Who holds the nurse-in-charge role of {@code wardId} now; nobody when there is no ward. */
    public List<String> nurseInCharge(String wardId, Instant at) {
        return duties.nurseInChargeRole(wardId).map(role -> hospital.holdersOf(role, at)).orElse(List.of());
    }

    /** Who is on switchboard now. */
    public List<String> switchboard(Instant at) {
        return duties.switchboardRole() == null ? List.of() : hospital.holdersOf(duties.switchboardRole(), at);
    }

    private Reached reach(StepTarget target, Target addressee, String wardId, Instant at) {
        StepTarget.Kind kind = target.kind();
        if (kind == StepTarget.Kind.ADDRESSEE) {
            return addressee.type() == Target.Type.PERSON ? person(target, addressee.id())
                    : role(target, addressee.id(), at);
        }
        if (kind == StepTarget.Kind.ROLE) {
            return role(target, target.id(), at);
        }
        if (kind == StepTarget.Kind.PERSON) {
            return person(target, target.id());
        }
        String roleId = kind == StepTarget.Kind.WARD_NURSE_IN_CHARGE ? duties.nurseInChargeRole(wardId).orElse(null)
                : kind == StepTarget.Kind.COORDINATOR ? duties.coordinatorRole() : duties.switchboardRole();
        return roleId == null ? new Reached(target, null, List.of()) : role(target, roleId, at);
    }

    private Reached role(StepTarget target, String roleId, Instant at) {
        return new Reached(target, roleId, hospital.holdersOf(roleId, at));
    }

    private Reached person(StepTarget target, String staffId) {
        return new Reached(target, null, hospital.staff(staffId).map(s -> List.of(s.id())).orElse(List.of()));
    }
}
