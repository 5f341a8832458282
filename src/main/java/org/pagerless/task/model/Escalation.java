package org.pagerless.task.model;

/**
 * Where a task is on its escalation chain. {@code policy} is the chain snapshotted when the task was raised (or
 * reassigned): null for fyi tasks and broadcasts, which never escalate, and for tasks raised before chains existed.
 * {@code level} is the step the task is at (1-based; a task without a chain is at 1 once offered), {@code round} how
 * many times that step has been offered again, and {@code timer} the one deadline the task waits on (to be accepted,
 * started or completed); its fence lets a stale timer be ignored.
 */
public record Escalation(EscalationPolicy policy, int level, int round, TaskTimer timer) {

    /** The position of a task just raised on {@code policy} (null: none), before it is offered. */
    static Escalation on(EscalationPolicy policy) {
        return new Escalation(policy, 0, 0, null);
    }

    /** At step {@code step} for the first time: the round starts again. */
    Escalation atStep(int step) {
        return new Escalation(policy, step, 0, timer);
    }

    /** The same step offered once more. */
    Escalation repeated() {
        return new Escalation(policy, level, round + 1, timer);
    }

    Escalation withLevel(int step) {
        return new Escalation(policy, step, round, timer);
    }

    /** Following {@code chain} from now on (a reassigned task follows its new addressee's). */
    Escalation following(EscalationPolicy chain) {
        return new Escalation(chain, level, round, timer);
    }

    /** Waiting on {@code deadline} (null: on nothing). */
    Escalation waiting(TaskTimer deadline) {
        return new Escalation(policy, level, round, deadline);
    }
}
