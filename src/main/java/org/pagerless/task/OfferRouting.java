package org.pagerless.task;

import java.time.Instant;

import org.pagerless.rota.model.Hospital;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.RaiseTask;

/**
 * What the task processor asks before deciding a command that may offer a task to someone new: who holds the
 * addressee now and the task's chain resolved through the rota at {@code now}. Escalation answers
 * ({@code escalation.EscalationRouting}); the processor only depends on this port, so escalation sits above task.
 */
public interface OfferRouting {

    /** For raising: who holds the addressee now, the chain the task will keep, and its steps resolved now. */
    OfferContext forRaise(RaiseTask raise, Hospital hospital, Instant now);

    /** For a command on an existing task: its snapshotted chain, resolved now. */
    OfferContext forTask(Task task, Hospital hospital, Instant now);

    /** For reassigning {@code task} to {@code to}: the new addressee's holders and chain, resolved now. */
    OfferContext forReassign(Task task, Target to, Hospital hospital, Instant now);

    /** For moving a task to {@code wardId} (the patient was transferred): who is nurse in charge of that ward now. */
    OfferContext forRelocate(String wardId, Hospital hospital, Instant now);
}
