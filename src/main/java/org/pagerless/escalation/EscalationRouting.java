package org.pagerless.escalation;

import java.time.Instant;
import java.util.List;

import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.escalation.model.StepResolver;
import org.pagerless.rota.model.Hospital;
import org.pagerless.task.OfferRouting;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.RaiseTask;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What the task processor hands the pure model about escalation: the chain to snapshot when a task is
 * raised, and the task's chain resolved through the rota at the instant of deciding (live, every time).
 */
@ApplicationScoped
public class EscalationRouting implements OfferRouting {

    @Inject
    EscalationDirectory directory;

    /** For raising: who holds the addressee now, the chain the task will keep, and its steps resolved now. */
    @Override
    public OfferContext forRaise(RaiseTask raise, Hospital hospital, Instant now) {
        EscalationPolicy policy = raise.fyi() ? null : directory.policyFor(raise.target(), raise.priority());
        return context(policy, raise.target(), raise.details().wardId(), hospital, now);
    }

    /** For a command on an existing task: its snapshotted chain, resolved now. */
    @Override
    public OfferContext forTask(Task task, Hospital hospital, Instant now) {
        return context(task.escalates() ? task.policy() : null, task.target(), task.details().wardId(), hospital, now);
    }

    /**
     * For reassigning a task to {@code to}: who holds it now and, for a task that escalates, the chain for the new
     * addressee (the one a task raised to it would get), resolved now; the task then follows that chain.
     */
    @Override
    public OfferContext forReassign(Task task, Target to, Hospital hospital, Instant now) {
        EscalationPolicy policy = task.escalates() ? directory.policyFor(to, task.priority()) : null;
        return context(policy, to, task.details().wardId(), hospital, now);
    }

    @Override
    public OfferContext forRelocate(String wardId, Hospital hospital, Instant now) {
        List<String> nurseInCharge = wardId == null ? List.of()
                : new StepResolver(hospital, directory.duties()).nurseInCharge(wardId, now);
        return new OfferContext(List.of(), null, List.of(), nurseInCharge, List.of());
    }

    private OfferContext context(EscalationPolicy policy, Target addressee, String wardId, Hospital hospital,
                                 Instant now) {
        List<String> holders = addressee.type() == Target.Type.PERSON
                ? hospital.staff(addressee.id()).map(s -> List.of(s.id())).orElse(List.of())
                : hospital.holdersOf(addressee.id(), now);
        if (policy == null) {
            return new OfferContext(holders);
        }
        StepResolver resolver = new StepResolver(hospital, directory.duties());
        return new OfferContext(holders, policy, resolver.steps(policy, addressee, wardId, now),
                resolver.nurseInCharge(wardId, now), resolver.switchboard(now));
    }
}
