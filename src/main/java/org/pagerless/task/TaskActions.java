package org.pagerless.task;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.identity.Caller;
import org.pagerless.platform.Ids;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.TextField;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Staff;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskEvent.Rejection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Acting on a task for someone (accept, decline, start, complete, cancel...), whichever door the request came in
 * by (REST, FHIR, WCTP): who may try, the command to the processor, and its decision as an outcome or a
 * {@link ProblemException} (404 unknown, 403 not yours, 409 someone was first or the task has moved on).
 */
@ApplicationScoped
public class TaskActions {
    @Inject
    TaskQueries queries;
    @Inject
    CommandGateway gateway;
    @Inject
    ReferenceData referenceData;

    @ConfigProperty(name = "pagerless.actions.await", defaultValue = "5s")
    Duration awaitOutcome;

    /** What became of an action: decided (the task after it), or taken by the broker and not yet decided. */
    public sealed interface Outcome {
        UUID taskId();
    }

    /** The processor applied the action; {@code task} is the task after it. */
    public record Done(UUID taskId, Task task) implements Outcome {
    }

    /** The broker has the command but the processor had not decided within the wait; it will be applied. */
    public record Processing(UUID taskId) implements Outcome {
    }

    /**
     * Submits {@code command} (given its command id) for {@code caller} and waits, bounded, for the decision.
     * With an idempotency key the same caller, action and key always make the same command, so a retry acts once.
     */
    public Outcome act(Caller caller, UUID taskId, String action, String idempotencyKey,
                       Function<UUID, TaskCommand> command) {
        Task task = queries.find(taskId).orElseThrow(() -> ProblemException.notFound("no task with id " + taskId));
        // Someone offered it earlier (who lost a race to accept, or whose offer moved on) gets the processor's
        // answer, e.g. 409 naming who has it, rather than a bare 403.
        if (caller.isClinician() && !task.offeredTo().contains(caller.staffId())
                && !caller.staffId().equals(task.owner()) && !caller.staffId().equals(task.requester())
                && !queries.involved(taskId, caller.staffId())) {
            throw ProblemException.forbidden("this task is not offered to or owned by you");
        }
        UUID commandId = idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID()
                : Ids.derived(action, taskId, caller.staffId(), idempotencyKey);
        var outcome = gateway.submitAndAwait(command.apply(commandId), awaitOutcome);
        if (outcome.isEmpty()) {
            return new Processing(taskId);
        }
        if (outcome.get().event() instanceof CommandRejected rejected) {
            if (rejected.rejection() == Rejection.ALREADY_TAKEN && caller.staffId().equals(rejected.owner())
                    && "accept".equals(action)) {
                return new Done(taskId, outcome.get().task());
            }
            throw rejection(rejected);
        }
        return new Done(taskId, outcome.get().task());
    }

    private ProblemException rejection(CommandRejected rejected) {
        String detail = rejected.detail();
        if (rejected.owner() != null) {
            String name = referenceData.hospital().staff(rejected.owner()).map(Staff::displayName)
                    .orElse(rejected.owner());
            detail = detail.replace(rejected.owner(), name);
        }
        return switch (rejected.rejection()) {
            case UNKNOWN_TASK -> ProblemException.notFound(detail);
            case NOT_OFFERED, NOT_OWNER, NOT_REQUESTER -> ProblemException.forbidden(detail);
            case ALREADY_TAKEN, ALREADY_RAISED, TASK_CLOSED, WRONG_STATE -> ProblemException.conflict(detail);
        };
    }

    /** A reason or note given with an action: trimmed, blank as none, at most 500 characters (else 400 naming it). */
    public static String optionalText(String field, String text) {
        return TextField.optional(field, text, 500);
    }
}
