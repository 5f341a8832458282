package org.pagerless.task.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.StartTask;

/**
 * Clinical fixtures for the task aggregate: switchboard bleeps the medical registrar on call, who is
 * held tonight by Dr Kate Morgan and Dr Raj Patel. Every step is decided at a fixed instant.
 */
final class Tasks {
    /** 21:30 on a Friday night: the moment every fixture decision is taken. */
    static final Instant NOW = Instant.parse("2025-03-14T21:30:00Z");
    /** A few minutes later, for the commands that follow the raise. */
    static final Instant LATER = NOW.plus(Duration.ofMinutes(4));

    static final String SWITCHBOARD = "sam.switchboard";
    static final String KATE = "kate.morgan";
    static final String RAJ = "raj.patel";
    static final String AMIRA = "amira.khan";
    static final String NURSE_IN_CHARGE = "mary.jones";

    static final UUID TASK_ID = UUID.fromString("6a1f3c1e-0000-4000-8000-00000000b1ee");
    static final Target MEDICAL_REGISTRAR = Target.role("med-reg-oncall");

    private Tasks() {
    }

    static RaiseTask urgentBleepToMedicalRegistrar() {
        return new RaiseTask(id(), TASK_ID, SWITCHBOARD, TaskKind.BLEEP, Priority.URGENT, false, MEDICAL_REGISTRAR,
                TaskDetails.bleep("4417", "Please call AMU re: new admission, NEWS2 7"));
    }

    /** Who holds the medical registrar role tonight. */
    static OfferContext registrarsOnCall() {
        return new OfferContext(List.of(KATE, RAJ));
    }

    static OfferContext nobodyOnCall() {
        return OfferContext.NONE;
    }

    /** The bleep, raised and offered to both registrars. */
    static Task offeredToBothRegistrars() {
        return Task.decide(null, urgentBleepToMedicalRegistrar(), registrarsOnCall(), NOW).task();
    }

    /** The bleep, raised while nobody held the role. */
    static Task waitingWithNobodyOnCall() {
        return Task.decide(null, urgentBleepToMedicalRegistrar(), nobodyOnCall(), NOW).task();
    }

    static Task acceptedByKate() {
        return apply(offeredToBothRegistrars(), accept(KATE));
    }

    static Task inProgressWithKate() {
        return apply(acceptedByKate(), start(KATE));
    }

    static Task completedByKate() {
        return apply(inProgressWithKate(), complete(KATE, "Reviewed, plan documented"));
    }

    static Task cancelledBySwitchboard() {
        return apply(offeredToBothRegistrars(), cancel(SWITCHBOARD, "Raised in error", false));
    }

    static AcceptTask accept(String actor) {
        return new AcceptTask(id(), TASK_ID, actor);
    }

    static DeclineTask decline(String actor, String reason) {
        return new DeclineTask(id(), TASK_ID, actor, reason);
    }

    static StartTask start(String actor) {
        return new StartTask(id(), TASK_ID, actor);
    }

    static CompleteTask complete(String actor, String note) {
        return new CompleteTask(id(), TASK_ID, actor, note);
    }

    static CancelTask cancel(String actor, String reason, boolean supervisor) {
        return new CancelTask(id(), TASK_ID, actor, reason, supervisor);
    }

    /** One of every command that can follow a raise, from someone plausibly entitled to issue it. */
    static List<TaskCommand> everyFollowUpCommand() {
        return List.of(accept(KATE), decline(RAJ, "In resus"), start(KATE), complete(KATE, "Done"),
                cancel(SWITCHBOARD, "No longer needed", true));
    }

    /** Applies a command that must succeed, at {@link #LATER}. */
    static Task apply(Task current, TaskCommand command) {
        Task.Decision decision = Task.decide(current, command, OfferContext.NONE, LATER);
        if (decision.rejected()) {
            throw new IllegalStateException("fixture step rejected: " + decision.events());
        }
        return decision.task();
    }

    private static UUID id() {
        return UUID.randomUUID();
    }
}
