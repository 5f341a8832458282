package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagerless.escalation.model.MedicineOnCall.NINE_AM;
import static org.pagerless.escalation.model.MedicineOnCall.NINE_PM;
import static org.pagerless.escalation.model.MedicineOnCall.SHO;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.EscalationStep;
import org.pagerless.escalation.model.MedicineOnCall;
import org.pagerless.task.model.StepTarget;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.EscalationDue;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.StartTask;
import org.pagerless.task.model.TaskEvent.AlertReason;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.NurseInChargeAlerted;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskEscalated;
import org.pagerless.task.model.TaskEvent.TaskFailed;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskOverdue;

/** Every escalation transition of the pure task model, on the medicine on-call rota of {@link MedicineOnCall}. */
class TaskEscalationTest {
    static final Location BED_12_WARD_7B = new Location("7B", "12");
    static final List<String> DAY_SHOS = List.of("amira.khan", "dan.wright");
    /** Who raises the tasks here: a staff nurse on 7B, who holds no role on the chain. */
    static final String WARD_NURSE = "tom.staffnurse";

    // --- raising -------------------------------------------------------------------------------------

    @Test
    void raisingSnapshotsTheChainAndOffersStepOneWithAnAcceptanceTimerForThePriority() {
        Decision d = raise(Priority.URGENT, SHO, NINE_AM);

        Task task = d.task();
        assertThat(names(d)).containsExactly("TaskRaised", "TaskOffered");
        assertThat(task.status()).isEqualTo(TaskStatus.OFFERED);
        assertThat(task.policy()).isEqualTo(MedicineOnCall.shoChain());
        assertThat(task.level()).isEqualTo(1);
        assertThat(task.offeredTo()).containsExactlyElementsOf(DAY_SHOS);
        assertThat(task.timer()).isEqualTo(new TaskTimer(TimerKind.ACK_TIMEOUT, NINE_AM.plus(Duration.ofMinutes(10)),
                task.version()));
    }

    @Test
    void eachPriorityWaitsItsOwnTimeForAnAccept() {
        assertThat(raise(Priority.STAT, SHO, NINE_AM).task().timer().dueAt()).isEqualTo(NINE_AM.plusSeconds(120));
        assertThat(raise(Priority.ASAP, SHO, NINE_AM).task().timer().dueAt()).isEqualTo(NINE_AM.plusSeconds(300));
        assertThat(raise(Priority.ROUTINE, SHO, NINE_AM).task().timer().dueAt()).isEqualTo(NINE_AM.plusSeconds(1800));
    }

    @Test
    void fyiNeverEscalatesItCarriesNoChainAndNoTimer() {
        RaiseTask raise = new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "grace.okafor", TaskKind.TASK,
                Priority.STAT, true, Target.role(SHO), details());
        Decision d = Task.decide(null, raise, context(MedicineOnCall.shoChain(), raise.target(), NINE_AM), NINE_AM);
        assertThat(d.task().policy()).isNull();
        assertThat(d.task().timer()).isNull();
        assertThat(d.task().escalates()).isFalse();

        Task afterFirst = decline(d.task(), "amira.khan", NINE_AM).task();
        Decision lastDecline = decline(afterFirst, "dan.wright", NINE_AM);
        assertThat(lastDecline.task().status()).isEqualTo(TaskStatus.REQUESTED);
        assertThat(names(lastDecline)).containsExactly("TaskDeclined", "SwitchboardAlerted");
        Task accepted = Task.decide(d.task(), new AcceptTask(UUID.randomUUID(), d.task().id(), "amira.khan"),
                OfferContext.NONE, NINE_AM).task();
        assertThat(accepted.timer()).isNull();
    }

    // --- not accepted in time -------------------------------------------------------------------------

    @Test
    void urgentTaskUnacceptedFor10MinutesGoesToRegistrarAndNurseInCharge() {
        Task offered = raise(Priority.URGENT, SHO, NINE_AM).task();
        Instant tenPast = NINE_AM.plus(Duration.ofMinutes(10));

        Decision d = fire(offered, tenPast);

        assertThat(names(d)).containsExactly("TaskEscalated", "TaskOffered");
        TaskEscalated escalated = (TaskEscalated) d.events().get(0);
        assertThat(escalated.fromLevel()).isEqualTo(1);
        assertThat(escalated.toLevel()).isEqualTo(2);
        assertThat(escalated.step()).isEqualTo("Medical registrar and nurse in charge");
        assertThat(escalated.reason()).isEqualTo(EscalationReason.NOT_ACCEPTED_IN_TIME);
        assertThat(escalated.tried()).containsExactlyElementsOf(DAY_SHOS);
        assertThat(escalated.actor()).isEqualTo(EscalationDue.ACTOR);
        // Escalation widens: the SHOs may still accept.
        assertThat(d.task().offeredTo()).containsExactly("amira.khan", "dan.wright", "kate.morgan", "grace.okafor");
        assertThat(((TaskOffered) d.events().get(1)).level()).isEqualTo(2);
        assertThat(d.task().level()).isEqualTo(2);
        assertThat(d.task().timer().dueAt()).isEqualTo(tenPast.plus(Duration.ofMinutes(10)));
        assertThat(d.task().timer().fence()).isGreaterThan(offered.timer().fence());
    }

    @Test
    void aRepeatedStepIsOfferedAgainToWhoeverHoldsItNowBeforeTheChainMovesOn() {
        EscalationPolicy offeredTwice = EscalationPolicy.of(SHO, "SHO twice",
                EscalationStep.of("Medical SHO on call", 1, StepTarget.addressee()),
                EscalationStep.of("Switchboard", 0, StepTarget.switchboard()));
        Task offered = raise(offeredTwice, Priority.URGENT, Target.role(SHO), NINE_AM).task();

        Decision again = fire(offered, NINE_AM.plus(Duration.ofMinutes(10)));
        assertThat(names(again)).containsExactly("TaskOffered");
        TaskOffered repeat = (TaskOffered) again.events().get(0);
        assertThat(repeat.level()).isEqualTo(1);
        assertThat(repeat.round()).isEqualTo(1);
        // Dr Murphy came on at 09:05: the rota is read again for the repeat.
        assertThat(repeat.offeredTo()).containsExactly("amira.khan", "dan.wright", "liam.murphy");
        assertThat(again.task().timer().dueAt()).isEqualTo(NINE_AM.plus(Duration.ofMinutes(20)));

        Decision onwards = fire(again.task(), NINE_AM.plus(Duration.ofMinutes(20)));
        assertThat(names(onwards)).containsExactly("TaskEscalated", "TaskOffered");
        assertThat(onwards.task().level()).isEqualTo(2);
        assertThat(onwards.task().escalation().round()).isZero();
    }

    @Test
    void aStaleTimerIsIgnoredWithoutAWord() {
        Task offered = raise(Priority.URGENT, SHO, NINE_AM).task();
        Task escalated = fire(offered, NINE_AM.plus(Duration.ofMinutes(10))).task();

        EscalationDue stale = EscalationDue.of(offered.id(), TimerKind.ACK_TIMEOUT, offered.timer().fence());
        Decision d = Task.decide(escalated, stale, contextFor(escalated, NINE_AM.plus(Duration.ofMinutes(11))),
                NINE_AM.plus(Duration.ofMinutes(11)));
        assertThat(d.ignored()).isTrue();
        assertThat(d.task()).isSameAs(escalated);
    }

    @Test
    void aTimerForAClosedOrUnknownTaskIsIgnored() {
        Task offered = raise(Priority.URGENT, SHO, NINE_AM).task();
        Task cancelled = Task.decide(offered, new CancelTask(UUID.randomUUID(), offered.id(), WARD_NURSE,
                "Patient discharged", false), OfferContext.NONE, NINE_AM.plusSeconds(60)).task();
        assertThat(cancelled.timer()).isNull();
        EscalationDue due = EscalationDue.of(offered.id(), TimerKind.ACK_TIMEOUT, offered.timer().fence());

        assertThat(Task.decide(cancelled, due, OfferContext.NONE, NINE_AM.plusSeconds(600)).ignored()).isTrue();
        assertThat(Task.decide(null, due, OfferContext.NONE, NINE_AM.plusSeconds(600)).ignored()).isTrue();
    }

    @Test
    void theTimerCommandIdIsTheSameForTheSameFiringSoARepublishIsAppliedOnce() {
        UUID task = UUID.randomUUID();
        assertThat(EscalationDue.of(task, TimerKind.ACK_TIMEOUT, 3).commandId())
                .isEqualTo(EscalationDue.of(task, TimerKind.ACK_TIMEOUT, 3).commandId())
                .isNotEqualTo(EscalationDue.of(task, TimerKind.ACK_TIMEOUT, 4).commandId());
    }

    // --- declines -------------------------------------------------------------------------------------

    @Test
    void aDeclineWhileOthersAreStillOfferedKeepsTheStepAndItsTimer() {
        Task offered = raise(Priority.URGENT, SHO, NINE_AM).task();
        Decision d = decline(offered, "amira.khan", NINE_AM.plusSeconds(60));
        assertThat(names(d)).containsExactly("TaskDeclined");
        assertThat(d.task().offeredTo()).containsExactly("dan.wright");
        assertThat(d.task().timer()).isEqualTo(offered.timer());
    }

    @Test
    void declineByTheLastOneOfferedEscalatesImmediately() {
        Task offered = raise(Priority.ROUTINE, SHO, NINE_AM).task();
        Task oneLeft = decline(offered, "amira.khan", NINE_AM.plusSeconds(60)).task();

        Decision d = decline(oneLeft, "dan.wright", NINE_AM.plusSeconds(120));

        assertThat(names(d)).containsExactly("TaskDeclined", "TaskEscalated", "TaskOffered");
        TaskEscalated escalated = (TaskEscalated) d.events().get(1);
        assertThat(escalated.reason()).isEqualTo(EscalationReason.ALL_DECLINED);
        assertThat(escalated.tried()).containsExactlyElementsOf(DAY_SHOS);
        assertThat(d.task().offeredTo()).containsExactly("kate.morgan", "grace.okafor");
        assertThat(d.task().offer().declinedBy()).containsExactlyElementsOf(DAY_SHOS);
        assertThat(d.task().timer().dueAt()).isEqualTo(NINE_AM.plusSeconds(120).plus(Duration.ofMinutes(30)));
    }

    @Test
    void someoneWhoDeclinedIsNotOfferedTheTaskAgainOnARepeat() {
        EscalationPolicy offeredTwice = EscalationPolicy.of(SHO, "SHO twice",
                EscalationStep.of("Medical SHO on call", 1, StepTarget.addressee()),
                EscalationStep.of("Switchboard", 0, StepTarget.switchboard()));
        Task offered = raise(offeredTwice, Priority.URGENT, Target.role(SHO), NINE_AM).task();
        Task declined = decline(offered, "amira.khan", NINE_AM.plusSeconds(60)).task();
        Task repeated = fire(declined, NINE_AM.plus(Duration.ofMinutes(10))).task();
        assertThat(repeated.offeredTo()).containsExactly("dan.wright", "liam.murphy");
    }

    @Test
    void declineAtTheLastStepFailsTheTaskLoudly() {
        Task offered = raise(Priority.STAT, SHO, NINE_AM).task();
        Task atStep2 = fire(offered, NINE_AM.plusSeconds(120)).task();
        Task atStep3 = fire(atStep2, NINE_AM.plusSeconds(240)).task();
        assertThat(atStep3.level()).isEqualTo(3);
        Task remaining = atStep3;
        for (String who : atStep3.offeredTo().subList(0, atStep3.offeredTo().size() - 1)) {
            remaining = decline(remaining, who, NINE_AM.plusSeconds(250)).task();
        }
        Decision d = decline(remaining, remaining.offeredTo().get(0), NINE_AM.plusSeconds(260));
        assertThat(names(d)).containsExactly("TaskDeclined", "TaskFailed", "SwitchboardAlerted", "NurseInChargeAlerted");
        assertThat(((TaskFailed) d.events().get(1)).reason()).isEqualTo(EscalationReason.ALL_DECLINED);
        assertThat(d.task().status()).isEqualTo(TaskStatus.FAILED);
    }

    // --- nobody on ------------------------------------------------------------------------------------

    @Test
    void noHolderAtAStepAlertsSwitchboardAndTheChainContinuesAtOnce() {
        Decision d = raise(EscalationPolicy.defaultFor(Priority.URGENT), Priority.URGENT, Target.role("derm-reg"),
                NINE_AM);

        assertThat(names(d)).containsExactly("TaskRaised", "SwitchboardAlerted", "TaskEscalated", "TaskOffered");
        SwitchboardAlerted alert = (SwitchboardAlerted) d.events().get(1);
        assertThat(alert.reason()).isEqualTo(AlertReason.NO_HOLDER);
        assertThat(alert.target()).isEqualTo(Target.role("derm-reg"));
        assertThat(alert.level()).isEqualTo(1);
        assertThat(alert.told()).containsExactly("sam.patel");
        TaskEscalated escalated = (TaskEscalated) d.events().get(2);
        assertThat(escalated.reason()).isEqualTo(EscalationReason.NO_HOLDER);
        assertThat(escalated.fromLevel()).isEqualTo(1);
        assertThat(escalated.toLevel()).isEqualTo(2);
        // By day: the 7B nurse in charge and switchboard (the coordinator works nights).
        assertThat(d.task().offeredTo()).containsExactly("grace.okafor", "sam.patel");
        assertThat(d.task().level()).isEqualTo(2);
        assertThat(d.task().status()).isEqualTo(TaskStatus.OFFERED);
    }

    @Test
    void aVacantRoleInAStepThatStillReachesSomeoneIsReportedAndTheOthersAreOffered() {
        Task offered = raise(Priority.URGENT, SHO, NINE_PM).task();
        assertThat(offered.offeredTo()).containsExactly("noah.green");

        // At night step 2 (registrar, 7B nurse in charge) is empty: switchboard hears, and step 3 follows at once.
        Decision d = fire(offered, NINE_PM.plus(Duration.ofMinutes(10)));
        assertThat(names(d)).containsExactly("TaskEscalated", "SwitchboardAlerted", "TaskEscalated", "TaskOffered");
        assertThat(((SwitchboardAlerted) d.events().get(1)).target()).isEqualTo(Target.role("med-reg-oncall"));
        TaskEscalated onwards = (TaskEscalated) d.events().get(2);
        assertThat(onwards.fromLevel()).isEqualTo(2);
        assertThat(onwards.toLevel()).isEqualTo(3);
        assertThat(onwards.reason()).isEqualTo(EscalationReason.NO_HOLDER);
        assertThat(d.task().offeredTo()).containsExactly("noah.green", "ian.ross", "sam.patel");
    }

    @Test
    void aChainThatReachesNobodyAtAllFailsAtOnceAndSaysSo() {
        EscalationPolicy dermOnly = EscalationPolicy.of("derm-reg", "Derm",
                EscalationStep.of("Dermatology registrar", 0, StepTarget.addressee()),
                EscalationStep.of("Coordinator", 0, StepTarget.coordinator()));
        Decision d = raise(dermOnly, Priority.URGENT, Target.role("derm-reg"), NINE_AM);
        assertThat(names(d)).containsExactly("TaskRaised", "SwitchboardAlerted", "TaskEscalated", "SwitchboardAlerted",
                "TaskFailed", "SwitchboardAlerted", "NurseInChargeAlerted");
        assertThat(((SwitchboardAlerted) d.events().get(3)).target()).isEqualTo(Target.role("han-coord"));
        assertThat(d.task().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(d.task().timer()).isNull();
    }

    // --- chain exhausted ------------------------------------------------------------------------------

    @Test
    void exhaustedChainFailsLoudlyToSwitchboardAndTheWardsNurseInCharge() {
        Task task = raise(Priority.STAT, SHO, NINE_AM).task();
        Instant at = NINE_AM;
        for (int i = 0; i < 3; i++) { // step 1, step 2, step 3 first offer
            at = at.plus(Duration.ofMinutes(2));
            task = fire(task, at).task();
        }
        assertThat(task.level()).isEqualTo(3);
        assertThat(task.escalation().round()).isEqualTo(1);

        Decision d = fire(task, at.plus(Duration.ofMinutes(2)));

        assertThat(names(d)).containsExactly("TaskFailed", "SwitchboardAlerted", "NurseInChargeAlerted");
        assertThat(((TaskFailed) d.events().get(0)).reason()).isEqualTo(EscalationReason.NOT_ACCEPTED_IN_TIME);
        assertThat(((TaskFailed) d.events().get(0)).level()).isEqualTo(3);
        SwitchboardAlerted switchboard = (SwitchboardAlerted) d.events().get(1);
        assertThat(switchboard.reason()).isEqualTo(AlertReason.CHAIN_EXHAUSTED);
        assertThat(switchboard.told()).containsExactly("sam.patel");
        NurseInChargeAlerted nic = (NurseInChargeAlerted) d.events().get(2);
        assertThat(nic.wardId()).isEqualTo("7B");
        assertThat(nic.told()).containsExactly("grace.okafor");
        assertThat(d.task().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(d.task().offeredTo()).isEmpty();
        assertThat(d.task().timer()).isNull();
    }

    // --- accepted but not done ------------------------------------------------------------------------

    @Test
    void acceptedButNotStartedRemindsTheOwnerShowsTheNurseInChargeAndKeepsReminding() {
        Task offered = raise(Priority.URGENT, SHO, NINE_AM).task();
        Task accepted = Task.decide(offered, new AcceptTask(UUID.randomUUID(), offered.id(), "dan.wright"),
                OfferContext.NONE, NINE_AM.plusSeconds(60)).task();
        assertThat(accepted.timer().kind()).isEqualTo(TimerKind.NOT_STARTED);
        assertThat(accepted.timer().dueAt()).isEqualTo(NINE_AM.plusSeconds(60).plus(Duration.ofMinutes(30)));

        Instant late = accepted.timer().dueAt();
        Decision d = fire(accepted, late);
        assertThat(names(d)).containsExactly("TaskOverdue");
        TaskOverdue overdue = (TaskOverdue) d.events().get(0);
        assertThat(overdue.overdue()).isEqualTo(TimerKind.NOT_STARTED);
        assertThat(overdue.owner()).isEqualTo("dan.wright");
        assertThat(overdue.told()).containsExactly("dan.wright", "grace.okafor");
        assertThat(d.task().status()).isEqualTo(TaskStatus.ACCEPTED);
        assertThat(d.task().owner()).isEqualTo("dan.wright");
        assertThat(d.task().ownership().overdue()).isEqualTo(TimerKind.NOT_STARTED);
        assertThat(d.task().timer().dueAt()).isEqualTo(late.plus(Duration.ofMinutes(30)));

        Task started = Task.decide(d.task(), new StartTask(UUID.randomUUID(), offered.id(), "dan.wright"),
                OfferContext.NONE, late.plusSeconds(60)).task();
        assertThat(started.ownership().overdue()).isNull();
        assertThat(started.timer().kind()).isEqualTo(TimerKind.NOT_COMPLETED);
        assertThat(started.timer().dueAt()).isEqualTo(late.plusSeconds(60).plus(Duration.ofHours(4)));
    }

    @Test
    void startedButNotCompletedRemindsTheOwnerAndCompletingClearsTheTimer() {
        Task offered = raise(Priority.STAT, SHO, NINE_AM).task();
        Task accepted = Task.decide(offered, new AcceptTask(UUID.randomUUID(), offered.id(), "amira.khan"),
                OfferContext.NONE, NINE_AM).task();
        Task started = Task.decide(accepted, new StartTask(UUID.randomUUID(), offered.id(), "amira.khan"),
                OfferContext.NONE, NINE_AM).task();
        Decision d = fire(started, NINE_AM.plus(Duration.ofHours(1)));
        assertThat(names(d)).containsExactly("TaskOverdue");
        assertThat(d.task().ownership().overdue()).isEqualTo(TimerKind.NOT_COMPLETED);
        assertThat(d.task().status()).isEqualTo(TaskStatus.IN_PROGRESS);

        Task completed = Task.decide(d.task(), new CompleteTask(UUID.randomUUID(), offered.id(), "amira.khan", null),
                OfferContext.NONE, NINE_AM.plus(Duration.ofMinutes(61))).task();
        assertThat(completed.timer()).isNull();
        assertThat(completed.ownership().overdue()).isNull();
    }

    @Test
    void theReminderForAnAcceptedTaskIsStaleOnceItHasStarted() {
        Task offered = raise(Priority.URGENT, SHO, NINE_AM).task();
        Task accepted = Task.decide(offered, new AcceptTask(UUID.randomUUID(), offered.id(), "amira.khan"),
                OfferContext.NONE, NINE_AM).task();
        Task started = Task.decide(accepted, new StartTask(UUID.randomUUID(), offered.id(), "amira.khan"),
                OfferContext.NONE, NINE_AM).task();
        EscalationDue notStarted = EscalationDue.of(offered.id(), TimerKind.NOT_STARTED, accepted.timer().fence());
        assertThat(Task.decide(started, notStarted, contextFor(started, NINE_AM.plusSeconds(3600)),
                NINE_AM.plusSeconds(3600)).ignored()).isTrue();
    }

    // --- guards ---------------------------------------------------------------------------------------

    @Test
    void aContextThatDoesNotResolveTheChainIsABugNotAFailedTask() {
        Task offered = raise(Priority.URGENT, SHO, NINE_AM).task();
        assertThatThrownBy(() -> Task.decide(offered, EscalationDue.of(offered.id(), TimerKind.ACK_TIMEOUT,
                offered.timer().fence()), OfferContext.NONE, NINE_AM.plusSeconds(600)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTaskWithoutAChainBehavesAsBefore() {
        RaiseTask raise = raiseCommand(Priority.URGENT, Target.role(SHO));
        Decision d = Task.decide(null, raise, new OfferContext(DAY_SHOS), NINE_AM);
        assertThat(d.task().policy()).isNull();
        assertThat(d.task().timer()).isNull();
        assertThat(d.task().offeredTo()).containsExactlyElementsOf(DAY_SHOS);
    }

    // --- escalate now (a supervisor, from the board) -----------------------------------------------

    @Test
    void escalateNowMovesAnUnacceptedTaskToTheNextStepAtOnceAndRearmsItsTimer() {
        Task task = raise(Priority.URGENT, SHO, NINE_AM).task();
        Instant at = NINE_AM.plusSeconds(60);
        Decision d = Task.decide(task, new TaskCommand.EscalateNow(UUID.randomUUID(), task.id(), "grace.okafor", true),
                contextFor(task, at), at);
        assertThat(names(d)).containsExactly("TaskEscalated", "TaskOffered");
        assertThat(((TaskEscalated) d.events().get(0)).reason()).isEqualTo(EscalationReason.ESCALATED_BY_HAND);
        assertThat(d.task().level()).isEqualTo(2);
        assertThat(d.task().offeredTo()).containsAll(DAY_SHOS).hasSizeGreaterThan(DAY_SHOS.size());
        assertThat(d.task().timer().kind()).isEqualTo(TimerKind.ACK_TIMEOUT);
        assertThat(d.task().timer().dueAt()).isAfter(at);
    }

    @Test
    void escalateNowIsForSupervisorsAndUnacceptedTasksOnly() {
        Task task = raise(Priority.URGENT, SHO, NINE_AM).task();
        assertThat(Task.decide(task, new TaskCommand.EscalateNow(UUID.randomUUID(), task.id(), "amira.khan", false),
                contextFor(task, NINE_AM), NINE_AM).rejected()).isTrue();
        Task accepted = Task.decide(task, new TaskCommand.AcceptTask(UUID.randomUUID(), task.id(), "amira.khan"),
                contextFor(task, NINE_AM), NINE_AM).task();
        assertThat(Task.decide(accepted, new TaskCommand.EscalateNow(UUID.randomUUID(), task.id(), "grace.okafor", true),
                contextFor(task, NINE_AM), NINE_AM).rejected()).isTrue();
    }

    @Test
    void escalateNowGoesToTheNextStepThatReachesSomeoneNewAndIsRefusedWhenNoStepDoes() {
        Task atTwo = Task.decide(raise(Priority.URGENT, SHO, NINE_AM).task(),
                new TaskCommand.EscalateNow(UUID.randomUUID(), UUID.randomUUID(), "grace.okafor", true),
                contextFor(raise(Priority.URGENT, SHO, NINE_AM).task(), NINE_AM), NINE_AM).task();
        // A chain whose step 2 is the same registrar as step 1: escalating by hand skips it to step 3.
        EscalationPolicy repeats = EscalationPolicy.of("repeats", "Registrar twice",
                EscalationStep.of("Registrar", 0, StepTarget.addressee()),
                EscalationStep.of("Registrar again", 0, StepTarget.role(MedicineOnCall.REGISTRAR)),
                EscalationStep.of("Coordinator and switchboard", 0, StepTarget.coordinator(), StepTarget.switchboard()));
        Task task = raise(repeats, Priority.URGENT, Target.role(MedicineOnCall.REGISTRAR), NINE_AM).task();
        assertThat(task.offeredTo()).containsExactly("kate.morgan");
        Decision d = Task.decide(task, new TaskCommand.EscalateNow(UUID.randomUUID(), task.id(), "grace.okafor", true),
                contextFor(task, NINE_AM), NINE_AM);
        assertThat(d.task().level()).isEqualTo(3);
        assertThat(d.task().offeredTo()).contains("kate.morgan").hasSizeGreaterThan(1);
        assertThat(((TaskEscalated) d.events().get(0)).toLevel()).isEqualTo(3);

        assertThat(atTwo.level()).isEqualTo(2);
        Decision again = Task.decide(d.task(), new TaskCommand.EscalateNow(UUID.randomUUID(), task.id(), "grace.okafor",
                true), contextFor(d.task(), NINE_AM), NINE_AM);
        assertThat(again.rejected()).isTrue();
    }

    @Test
    void aTaskIsNeverOfferedToTheNurseInChargeWhoRaisedIt() {
        RaiseTask byTheNurseInCharge = new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "grace.okafor",
                TaskKind.TASK, Priority.URGENT, false, Target.role(SHO), details());
        Task task = Task.decide(null, byTheNurseInCharge, context(MedicineOnCall.shoChain(), Target.role(SHO), NINE_AM),
                NINE_AM).task();
        Decision d = Task.decide(task, new TaskCommand.EscalateNow(UUID.randomUUID(), task.id(), "grace.okafor", true),
                contextFor(task, NINE_AM), NINE_AM);
        // Step 2 is the registrar and the ward's nurse in charge: she asked for help, so only the registrar is added.
        assertThat(d.task().level()).isEqualTo(2);
        assertThat(d.task().offeredTo()).containsExactly("amira.khan", "dan.wright", "kate.morgan");
    }

    @Test
    void whoRaisedItIsOfferedItOnlyWhenTheStepReachesNobodyElse() {
        EscalationPolicy toTheNurseInCharge = EscalationPolicy.of("nic", "Nurse in charge",
                EscalationStep.of("Medical SHO on call", 0, StepTarget.addressee()),
                EscalationStep.of("Nurse in charge", 0, StepTarget.wardNurseInCharge()));
        RaiseTask byTheNurseInCharge = new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "grace.okafor",
                TaskKind.TASK, Priority.URGENT, false, Target.role(SHO), details());
        Task task = Task.decide(null, byTheNurseInCharge, context(toTheNurseInCharge, Target.role(SHO), NINE_AM),
                NINE_AM).task();
        Decision timedOut = fire(task, NINE_AM.plusSeconds(601));
        // She is the only one the next step reaches: she has it rather than the task failing for want of anyone.
        assertThat(timedOut.task().status()).isEqualTo(TaskStatus.OFFERED);
        assertThat(timedOut.task().level()).isEqualTo(2);
        assertThat(timedOut.task().offeredTo()).contains("grace.okafor");
    }

    // --- helpers --------------------------------------------------------------------------------------

    static TaskDetails details() {
        return new TaskDetails(null, null, new Patient("9434765919", "Test Patient"), BED_12_WARD_7B, "Cannula",
                "S: tissued cannula", 3);
    }

    static RaiseTask raiseCommand(Priority priority, Target target) {
        return new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), WARD_NURSE, TaskKind.TASK, priority, false,
                target, details());
    }

    static Decision raise(Priority priority, String role, Instant at) {
        return raise(MedicineOnCall.shoChain(), priority, Target.role(role), at);
    }

    static Decision raise(EscalationPolicy policy, Priority priority, Target target, Instant at) {
        RaiseTask raise = raiseCommand(priority, target);
        return Task.decide(null, raise, context(policy, target, at), at);
    }

    static OfferContext context(EscalationPolicy policy, Target target, Instant at) {
        return MedicineOnCall.context(policy, target, BED_12_WARD_7B.wardId(), at);
    }

    static OfferContext contextFor(Task task, Instant at) {
        return MedicineOnCall.context(task.policy(), task.target(), task.details().wardId(), at);
    }

    /** The task's own timer goes off at {@code at}. */
    static Decision fire(Task task, Instant at) {
        EscalationDue due = EscalationDue.of(task.id(), task.timer().kind(), task.timer().fence());
        return Task.decide(task, due, contextFor(task, at), at);
    }

    static Decision decline(Task task, String who, Instant at) {
        return Task.decide(task, new DeclineTask(UUID.randomUUID(), task.id(), who, "In resus"), contextFor(task, at), at);
    }

    static List<String> names(Decision d) {
        return d.events().stream().map(e -> e.getClass().getSimpleName()).toList();
    }
}
