package org.pagerless.task;

import org.pagerless.identity.AppRoles;
import org.pagerless.rota.model.Hospital;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.EscalateNow;
import org.pagerless.task.model.TaskCommand.RealertMissing;
import org.pagerless.task.model.TaskCommand.ReassignTask;

/**
 * Whether a command's actor may act as a supervisor is decided by the processor from reference data (the staff
 * record's Pagerless role), never taken from the command: anything that can write to the command topic could
 * otherwise claim {@code supervisor: true}. The flag in the record is overwritten before the task decides.
 */
final class SupervisorRights {

    private SupervisorRights() {
    }

    static TaskCommand asRecorded(TaskCommand command, Hospital hospital) {
        if (command instanceof CancelTask c) {
            return new CancelTask(c.commandId(), c.taskId(), c.actor(), c.reason(), supervisor(c.actor(), hospital));
        }
        if (command instanceof ReassignTask c) {
            return new ReassignTask(c.commandId(), c.taskId(), c.actor(), c.to(), supervisor(c.actor(), hospital));
        }
        if (command instanceof EscalateNow c) {
            return new EscalateNow(c.commandId(), c.taskId(), c.actor(), supervisor(c.actor(), hospital));
        }
        if (command instanceof RealertMissing c) {
            return new RealertMissing(c.commandId(), c.taskId(), c.actor(), supervisor(c.actor(), hospital));
        }
        return command;
    }

    static boolean supervisor(String actor, Hospital hospital) {
        return actor != null && hospital.staff(actor).map(s -> AppRoles.SUPERVISORS.contains(s.appRole())).orElse(false);
    }
}
