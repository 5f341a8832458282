package org.pagerless.task.model;

import java.util.List;

import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.TaskCommand.AcknowledgeBroadcast;
import org.pagerless.task.model.TaskCommand.RealertMissing;
import org.pagerless.task.model.TaskEvent.BroadcastAcknowledged;
import org.pagerless.task.model.TaskEvent.BroadcastRealerted;
import org.pagerless.task.model.TaskEvent.Rejection;

/** A broadcast's roll-call: its team acknowledge it, and switchboard alerts again those who have not. */
final class Broadcasting {
    private Broadcasting() {
    }

    /**
     * A team member answers a broadcast's roll-call. Many acknowledge (it is not first-wins); only those it was
     * offered to may; acknowledging again changes nothing and says nothing.
     */
    static Decision acknowledge(Task task, AcknowledgeBroadcast cmd, Events events) {
        if (task.kind() != TaskKind.BROADCAST) {
            return events.reject(task, Rejection.WRONG_STATE, "only a broadcast is acknowledged", task.owner());
        }
        if (!task.offer().includes(cmd.actor())) {
            return events.reject(task, Rejection.NOT_OFFERED, "this broadcast was not sent to you", null);
        }
        if (task.acknowledgements().from(cmd.actor())) {
            return events.decision(task);
        }
        events.add(new BroadcastAcknowledged(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now));
        return events.decision(task.withAcknowledgements(task.acknowledgements().plus(cmd.actor(), events.now))
                .next(events.now));
    }

    /** Switchboard alerts again every member who has not acknowledged yet. */
    static Decision realert(Task task, RealertMissing cmd, Events events) {
        if (task.kind() != TaskKind.BROADCAST) {
            return events.reject(task, Rejection.WRONG_STATE, "only a broadcast can be re-alerted", task.owner());
        }
        if (!cmd.supervisor()) {
            return events.reject(task, Rejection.NOT_REQUESTER, "only switchboard or a supervisor can re-alert", null);
        }
        List<String> missing = task.rollCall().missing();
        if (missing.isEmpty()) {
            return events.reject(task, Rejection.WRONG_STATE, "everyone has acknowledged", null);
        }
        events.add(new BroadcastRealerted(events.nextId(), task.id(), cmd.commandId(), cmd.actor(), events.now,
                missing));
        return events.decision(task.withAcknowledgements(task.acknowledgements().realerted(events.now))
                .next(events.now));
    }
}
