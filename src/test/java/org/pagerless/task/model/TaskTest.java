package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.task.model.Tasks.AMIRA;
import static org.pagerless.task.model.Tasks.KATE;
import static org.pagerless.task.model.Tasks.LATER;
import static org.pagerless.task.model.Tasks.MEDICAL_REGISTRAR;
import static org.pagerless.task.model.Tasks.NOW;
import static org.pagerless.task.model.Tasks.NURSE_IN_CHARGE;
import static org.pagerless.task.model.Tasks.RAJ;
import static org.pagerless.task.model.Tasks.SWITCHBOARD;
import static org.pagerless.task.model.Tasks.TASK_ID;
import static org.pagerless.task.model.Tasks.accept;
import static org.pagerless.task.model.Tasks.acceptedByKate;
import static org.pagerless.task.model.Tasks.apply;
import static org.pagerless.task.model.Tasks.cancel;
import static org.pagerless.task.model.Tasks.cancelledBySwitchboard;
import static org.pagerless.task.model.Tasks.complete;
import static org.pagerless.task.model.Tasks.completedByKate;
import static org.pagerless.task.model.Tasks.decline;
import static org.pagerless.task.model.Tasks.everyFollowUpCommand;
import static org.pagerless.task.model.Tasks.inProgressWithKate;
import static org.pagerless.task.model.Tasks.nobodyOnCall;
import static org.pagerless.task.model.Tasks.offeredToBothRegistrars;
import static org.pagerless.task.model.Tasks.registrarsOnCall;
import static org.pagerless.task.model.Tasks.start;
import static org.pagerless.task.model.Tasks.urgentBleepToMedicalRegistrar;
import static org.pagerless.task.model.Tasks.waitingWithNobodyOnCall;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskEvent.AlertReason;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskAccepted;
import org.pagerless.task.model.TaskEvent.TaskCancelled;
import org.pagerless.task.model.TaskEvent.TaskCompleted;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskRaised;
import org.pagerless.task.model.TaskEvent.TaskStarted;

class TaskTest {

    private static Decision decide(Task current, TaskCommand command) {
        return Task.decide(current, command, OfferContext.NONE, LATER);
    }

    /** Asserts the decision is a single rejection and returns it. */
    private static CommandRejected rejectionOf(Decision decision) {
        assertThat(decision.rejected()).as("decision is a rejection").isTrue();
        assertThat(decision.events()).singleElement().isInstanceOf(CommandRejected.class);
        return (CommandRejected) decision.events().get(0);
    }

    private static <E extends TaskEvent> E eventAt(Decision decision, int index, Class<E> type) {
        assertThat(decision.events().get(index)).isInstanceOf(type);
        return type.cast(decision.events().get(index));
    }

    @Nested
    class Raising {

        @Test
        void aBleepToARoleWithHoldersIsOfferedAtLevelOneToEveryoneHoldingIt() {
            RaiseTask raise = urgentBleepToMedicalRegistrar();

            Decision decision = Task.decide(null, raise, registrarsOnCall(), NOW);

            Task task = decision.task();
            assertThat(decision.rejected()).isFalse();
            assertThat(task.id()).isEqualTo(TASK_ID);
            assertThat(task.status()).isEqualTo(TaskStatus.OFFERED);
            assertThat(task.level()).isEqualTo(1);
            assertThat(task.offeredTo()).containsExactly(KATE, RAJ);
            assertThat(task.offer().declinedBy()).isEmpty();
            assertThat(task.owner()).isNull();
            assertThat(task.ownership().acceptedAt()).isNull();
            assertThat(task.requester()).isEqualTo(SWITCHBOARD);
            assertThat(task.kind()).isEqualTo(TaskKind.BLEEP);
            assertThat(task.priority()).isEqualTo(Priority.URGENT);
            assertThat(task.target()).isEqualTo(MEDICAL_REGISTRAR);
            assertThat(task.details()).isEqualTo(raise.details());
            assertThat(task.raisedAt()).isEqualTo(NOW);
            assertThat(task.updatedAt()).isEqualTo(NOW);

            assertThat(decision.events()).hasSize(2);
            TaskRaised raised = eventAt(decision, 0, TaskRaised.class);
            assertThat(raised.target()).isEqualTo(MEDICAL_REGISTRAR);
            assertThat(raised.priority()).isEqualTo(Priority.URGENT);
            assertThat(raised.kind()).isEqualTo(TaskKind.BLEEP);
            assertThat(raised.details()).isEqualTo(raise.details());
            TaskOffered offered = eventAt(decision, 1, TaskOffered.class);
            assertThat(offered.level()).isEqualTo(1);
            assertThat(offered.offeredTo()).containsExactly(KATE, RAJ);
        }

        @Test
        void aBleepToARoleNobodyHoldsStaysRequestedAndSwitchboardIsAlertedAtOnce() {
            Decision decision = Task.decide(null, urgentBleepToMedicalRegistrar(), nobodyOnCall(), NOW);

            Task task = decision.task();
            assertThat(task.status()).isEqualTo(TaskStatus.REQUESTED);
            assertThat(task.level()).isZero();
            assertThat(task.offeredTo()).isEmpty();
            assertThat(task.owner()).isNull();

            assertThat(decision.events()).hasSize(2);
            eventAt(decision, 0, TaskRaised.class);
            SwitchboardAlerted alert = eventAt(decision, 1, SwitchboardAlerted.class);
            assertThat(alert.reason()).isEqualTo(AlertReason.NO_HOLDER);
            assertThat(alert.target()).isEqualTo(MEDICAL_REGISTRAR);
        }

        @Test
        void raisingATaskThatAlreadyExistsIsRejectedAsAlreadyRaised() {
            Task existing = offeredToBothRegistrars();
            RaiseTask again = new RaiseTask(UUID.randomUUID(), TASK_ID, SWITCHBOARD, TaskKind.BLEEP, Priority.STAT,
                    false, MEDICAL_REGISTRAR, TaskDetails.bleep("4417", "Again"));

            Decision decision = Task.decide(existing, again, registrarsOnCall(), LATER);

            assertThat(rejectionOf(decision).rejection()).isEqualTo(Rejection.ALREADY_RAISED);
            assertThat(decision.task()).isSameAs(existing);
        }
    }

    @Nested
    class Accepting {

        @Test
        void anOfferedHolderWhoAcceptsBecomesTheOwnerAndTheOfferIsWithdrawnFromEveryoneElse() {
            Decision decision = decide(offeredToBothRegistrars(), accept(KATE));

            Task task = decision.task();
            assertThat(task.status()).isEqualTo(TaskStatus.ACCEPTED);
            assertThat(task.owner()).isEqualTo(KATE);
            assertThat(task.ownership().acceptedAt()).isEqualTo(LATER);
            assertThat(task.updatedAt()).isEqualTo(LATER);
            assertThat(task.offeredTo()).isEmpty();
            assertThat(task.raisedAt()).isEqualTo(NOW);
            TaskAccepted accepted = eventAt(decision, 0, TaskAccepted.class);
            assertThat(decision.events()).hasSize(1);
            assertThat(accepted.owner()).isEqualTo(KATE);
        }

        @Test
        void theSecondHolderToAcceptIsToldItIsAlreadyTakenAndByWhom() {
            Task accepted = acceptedByKate();

            CommandRejected rejected = rejectionOf(decide(accepted, accept(RAJ)));

            assertThat(rejected.rejection()).isEqualTo(Rejection.ALREADY_TAKEN);
            assertThat(rejected.owner()).isEqualTo(KATE);
            assertThat(rejected.detail()).contains(KATE);
        }

        @Test
        void someoneTheTaskWasNotOfferedToCannotAcceptIt() {
            CommandRejected rejected = rejectionOf(decide(offeredToBothRegistrars(), accept(AMIRA)));

            assertThat(rejected.rejection()).isEqualTo(Rejection.NOT_OFFERED);
            assertThat(rejected.owner()).isNull();
        }

        @Test
        void nobodyCanAcceptATaskStillWaitingForAHolder() {
            CommandRejected rejected = rejectionOf(decide(waitingWithNobodyOnCall(), accept(KATE)));

            assertThat(rejected.rejection()).isEqualTo(Rejection.NOT_OFFERED);
        }

        @Test
        void aHolderWhoDeclinedCanNoLongerAccept() {
            Task declinedByKate = apply(offeredToBothRegistrars(), decline(KATE, "In resus"));

            assertThat(rejectionOf(decide(declinedByKate, accept(KATE))).rejection())
                    .isEqualTo(Rejection.NOT_OFFERED);
        }
    }

    @Nested
    class Declining {

        @Test
        void aDeclineIsRecordedWithItsReasonAndTheDeclinerIsNoLongerOffered() {
            Decision decision = decide(offeredToBothRegistrars(), decline(KATE, "In resus with a cardiac arrest"));

            Task task = decision.task();
            assertThat(task.status()).isEqualTo(TaskStatus.OFFERED);
            assertThat(task.offeredTo()).containsExactly(RAJ);
            assertThat(task.offer().declinedBy()).containsExactly(KATE);
            assertThat(task.owner()).isNull();
            assertThat(decision.events()).hasSize(1);
            TaskDeclined declined = eventAt(decision, 0, TaskDeclined.class);
            assertThat(declined.actor()).isEqualTo(KATE);
            assertThat(declined.reason()).isEqualTo("In resus with a cardiac arrest");
        }

        @Test
        void whenTheLastOfferedHolderDeclinesTheTaskGoesBackToRequestedAndSwitchboardIsAlerted() {
            Task katesDeclined = apply(offeredToBothRegistrars(), decline(KATE, "In resus"));

            Decision decision = decide(katesDeclined, decline(RAJ, "Scrubbed in theatre"));

            Task task = decision.task();
            assertThat(task.status()).isEqualTo(TaskStatus.REQUESTED);
            assertThat(task.offeredTo()).isEmpty();
            assertThat(task.offer().declinedBy()).containsExactly(KATE, RAJ);
            assertThat(task.owner()).isNull();
            assertThat(decision.events()).hasSize(2);
            assertThat(eventAt(decision, 0, TaskDeclined.class).reason()).isEqualTo("Scrubbed in theatre");
            SwitchboardAlerted alert = eventAt(decision, 1, SwitchboardAlerted.class);
            assertThat(alert.reason()).isEqualTo(AlertReason.ALL_DECLINED);
            assertThat(alert.target()).isEqualTo(MEDICAL_REGISTRAR);
        }

        @Test
        void someoneTheTaskWasNotOfferedToCannotDeclineIt() {
            assertThat(rejectionOf(decide(offeredToBothRegistrars(), decline(AMIRA, "Not mine"))).rejection())
                    .isEqualTo(Rejection.NOT_OFFERED);
        }

        @Test
        void aTaskAlreadyAcceptedCannotBeDeclined() {
            CommandRejected rejected = rejectionOf(decide(acceptedByKate(), decline(RAJ, "Busy")));

            assertThat(rejected.rejection()).isEqualTo(Rejection.ALREADY_TAKEN);
            assertThat(rejected.owner()).isEqualTo(KATE);
        }
    }

    @Nested
    class Starting {

        @Test
        void theOwnerStartingAnAcceptedTaskPutsItInProgress() {
            Decision decision = decide(acceptedByKate(), start(KATE));

            assertThat(decision.task().status()).isEqualTo(TaskStatus.IN_PROGRESS);
            assertThat(decision.task().owner()).isEqualTo(KATE);
            assertThat(decision.events()).singleElement().isInstanceOf(TaskStarted.class);
        }

        @Test
        void onlyTheOwnerCanStartTheTask() {
            CommandRejected rejected = rejectionOf(decide(acceptedByKate(), start(RAJ)));

            assertThat(rejected.rejection()).isEqualTo(Rejection.NOT_OWNER);
            assertThat(rejected.owner()).isEqualTo(KATE);
        }

        @Test
        void aTaskAlreadyInProgressCannotBeStartedAgain() {
            assertThat(rejectionOf(decide(inProgressWithKate(), start(KATE))).rejection())
                    .isEqualTo(Rejection.WRONG_STATE);
        }

        @Test
        void aTaskNobodyHasAcceptedCannotBeStarted() {
            assertThat(rejectionOf(decide(offeredToBothRegistrars(), start(KATE))).rejection())
                    .isEqualTo(Rejection.NOT_OWNER);
        }
    }

    @Nested
    class Completing {

        @Test
        void theOwnerCanCompleteAnAcceptedTaskWithoutStartingIt() {
            Decision decision = decide(acceptedByKate(), complete(KATE, "Called back, advice given"));

            assertThat(decision.task().status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(decision.task().owner()).isEqualTo(KATE);
            assertThat(eventAt(decision, 0, TaskCompleted.class).note()).isEqualTo("Called back, advice given");
            assertThat(decision.events()).hasSize(1);
        }

        @Test
        void theOwnerCanCompleteATaskInProgress() {
            Decision decision = decide(inProgressWithKate(), complete(KATE, "Reviewed, plan documented"));

            assertThat(decision.task().status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(eventAt(decision, 0, TaskCompleted.class).note()).isEqualTo("Reviewed, plan documented");
        }

        @Test
        void onlyTheOwnerCanCompleteTheTask() {
            CommandRejected rejected = rejectionOf(decide(inProgressWithKate(), complete(RAJ, "Done")));

            assertThat(rejected.rejection()).isEqualTo(Rejection.NOT_OWNER);
            assertThat(rejected.owner()).isEqualTo(KATE);
        }
    }

    @Nested
    class Cancelling {

        @Test
        void theRequesterCanCancelTheirOwnTask() {
            Decision decision = decide(offeredToBothRegistrars(), cancel(SWITCHBOARD, "Raised in error", false));

            assertThat(decision.task().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(decision.task().offeredTo()).isEmpty();
            TaskCancelled cancelled = eventAt(decision, 0, TaskCancelled.class);
            assertThat(decision.events()).hasSize(1);
            assertThat(cancelled.reason()).isEqualTo("Raised in error");
            assertThat(cancelled.actor()).isEqualTo(SWITCHBOARD);
        }

        @Test
        void aSupervisorCanCancelSomeoneElsesTask() {
            Decision decision = decide(acceptedByKate(), cancel(NURSE_IN_CHARGE, "Patient transferred to ICU", true));

            assertThat(decision.task().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(eventAt(decision, 0, TaskCancelled.class).actor()).isEqualTo(NURSE_IN_CHARGE);
        }

        @Test
        void nobodyElseCanCancelTheTask() {
            CommandRejected rejected = rejectionOf(decide(acceptedByKate(), cancel(RAJ, "Not needed", false)));

            assertThat(rejected.rejection()).isEqualTo(Rejection.NOT_REQUESTER);
            assertThat(rejected.owner()).isEqualTo(KATE);
        }

        @Test
        void evenTheOwnerCannotCancelATaskTheyDidNotRequest() {
            assertThat(rejectionOf(decide(acceptedByKate(), cancel(KATE, "Not needed", false))).rejection())
                    .isEqualTo(Rejection.NOT_REQUESTER);
        }
    }

    @Nested
    class ClosedAndUnknownTasks {

        static Stream<Arguments> everyCommandOnEveryClosedTask() {
            List<Arguments> cases = new ArrayList<>();
            for (Supplier<Task> closed : List.<Supplier<Task>>of(Tasks::completedByKate,
                    Tasks::cancelledBySwitchboard)) {
                for (TaskCommand command : everyFollowUpCommand()) {
                    Task task = closed.get();
                    cases.add(Arguments.of(task.status(), command.getClass().getSimpleName(), task, command));
                }
            }
            return cases.stream();
        }

        @ParameterizedTest(name = "{1} on a {0} task")
        @MethodSource("everyCommandOnEveryClosedTask")
        void anyCommandOnAClosedTaskIsRejectedAsClosed(TaskStatus status, String commandName, Task closed,
                                                       TaskCommand command) {
            Decision decision = decide(closed, command);

            CommandRejected rejected = rejectionOf(decision);
            assertThat(rejected.rejection()).isEqualTo(Rejection.TASK_CLOSED);
            assertThat(rejected.detail()).contains(status.code());
            assertThat(decision.task()).isSameAs(closed);
        }

        @Test
        void aClosedTaskStillNamesWhoCompletedIt() {
            assertThat(rejectionOf(decide(completedByKate(), accept(RAJ))).owner()).isEqualTo(KATE);
        }

        static Stream<TaskCommand> everyFollowUp() {
            return everyFollowUpCommand().stream();
        }

        @ParameterizedTest
        @MethodSource("everyFollowUp")
        void anyCommandOnATaskThatWasNeverRaisedIsRejectedAsUnknown(TaskCommand command) {
            Decision decision = decide(null, command);

            assertThat(rejectionOf(decision).rejection()).isEqualTo(Rejection.UNKNOWN_TASK);
            assertThat(decision.task()).isNull();
        }
    }

    @Nested
    class Invariants {

        static Stream<Arguments> rejectedCommands() {
            return Stream.of(
                    Arguments.of("second accept", acceptedByKate(), accept(RAJ)),
                    Arguments.of("accept not offered", offeredToBothRegistrars(), accept(AMIRA)),
                    Arguments.of("decline not offered", offeredToBothRegistrars(), decline(AMIRA, "No")),
                    Arguments.of("start by non-owner", acceptedByKate(), start(RAJ)),
                    Arguments.of("start twice", inProgressWithKate(), start(KATE)),
                    Arguments.of("complete by non-owner", inProgressWithKate(), complete(RAJ, "Done")),
                    Arguments.of("cancel by non-requester", offeredToBothRegistrars(), cancel(RAJ, "No", false)),
                    Arguments.of("accept when completed", completedByKate(), accept(KATE)),
                    Arguments.of("start when cancelled", cancelledBySwitchboard(), start(KATE)),
                    Arguments.of("raise again", offeredToBothRegistrars(), urgentBleepToMedicalRegistrar()));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rejectedCommands")
        void aRejectedCommandLeavesTheTaskExactlyAsItWas(String scenario, Task before, TaskCommand command) {
            Task copy = new Task(before.id(), before.kind(), before.priority(), before.fyi(), before.status(),
                    before.target(), before.details(), before.requester(), before.raisedAt(), before.updatedAt(),
                    before.version(), before.offer(), before.ownership(), before.escalation(),
                    before.acknowledgements(), before.handoverNote());

            Decision decision = Task.decide(before, command, registrarsOnCall(), LATER);

            assertThat(decision.rejected()).isTrue();
            assertThat(decision.task()).isSameAs(before).isEqualTo(copy);
            assertThat(decision.task().version()).isEqualTo(copy.version());
            assertThat(decision.task().updatedAt()).isEqualTo(copy.updatedAt());
        }

        @Test
        void aTaskRaisedWithNobodyOnCallStartsAtVersionZero() {
            assertThat(waitingWithNobodyOnCall().version()).isZero();
        }

        @Test
        void aTaskRaisedAndOfferedCountsBothChanges() {
            // raised (requested, version 0) and then offered (version 1) within the one decision
            assertThat(offeredToBothRegistrars().version()).isEqualTo(1);
        }

        @Test
        void eachAcceptedCommandAdvancesTheVersionByExactlyOne() {
            Task task = offeredToBothRegistrars();
            List<TaskCommand> lifecycle = List.of(decline(RAJ, "In resus"), accept(KATE), start(KATE),
                    complete(KATE, "Done"));
            for (TaskCommand command : lifecycle) {
                long before = task.version();
                task = apply(task, command);
                assertThat(task.version()).as(command.getClass().getSimpleName()).isEqualTo(before + 1);
            }
            assertThat(task.version()).isEqualTo(5);
        }

        @Test
        void cancellingAdvancesTheVersionByExactlyOne() {
            Task offered = offeredToBothRegistrars();
            assertThat(apply(offered, cancel(SWITCHBOARD, "Raised in error", false)).version())
                    .isEqualTo(offered.version() + 1);
        }

        @Test
        void decidingTheSameCommandTwiceGivesTheSameEventIds() {
            RaiseTask raise = urgentBleepToMedicalRegistrar();

            Decision first = Task.decide(null, raise, registrarsOnCall(), NOW);
            Decision second = Task.decide(null, raise, registrarsOnCall(), NOW);

            assertThat(second.events()).extracting(TaskEvent::eventId)
                    .containsExactlyElementsOf(first.events().stream().map(TaskEvent::eventId).toList());
            assertThat(second).isEqualTo(first);
        }

        @Test
        void aRejectionDecidedTwiceGetsTheSameEventId() {
            TaskCommand secondAccept = accept(RAJ);
            Task accepted = acceptedByKate();

            assertThat(decide(accepted, secondAccept).events().get(0).eventId())
                    .isEqualTo(decide(accepted, secondAccept).events().get(0).eventId());
        }

        @Test
        void eventIdsAreDistinctWithinADecision() {
            Decision raised = Task.decide(null, urgentBleepToMedicalRegistrar(), registrarsOnCall(), NOW);
            Decision allDeclined = decide(apply(offeredToBothRegistrars(), decline(KATE, "In resus")),
                    decline(RAJ, "In theatre"));

            assertThat(raised.events()).hasSize(2).extracting(TaskEvent::eventId).doesNotHaveDuplicates();
            assertThat(allDeclined.events()).hasSize(2).extracting(TaskEvent::eventId).doesNotHaveDuplicates();
        }

        @Test
        void differentCommandsGetDifferentEventIds() {
            Task offered = offeredToBothRegistrars();

            UUID kate = decide(offered, accept(KATE)).events().get(0).eventId();
            UUID raj = decide(offered, accept(RAJ)).events().get(0).eventId();

            assertThat(kate).isNotEqualTo(raj);
        }

        static Stream<Arguments> decisionsAcrossTheLifecycle() {
            return Stream.of(
                    Arguments.of("raise and offer", null, urgentBleepToMedicalRegistrar(), registrarsOnCall()),
                    Arguments.of("raise with nobody on call", null, urgentBleepToMedicalRegistrar(), nobodyOnCall()),
                    Arguments.of("decline", offeredToBothRegistrars(), decline(KATE, "In resus"), nobodyOnCall()),
                    Arguments.of("last decline", apply(offeredToBothRegistrars(), decline(KATE, "In resus")),
                            decline(RAJ, "In theatre"), nobodyOnCall()),
                    Arguments.of("accept", offeredToBothRegistrars(), accept(KATE), nobodyOnCall()),
                    Arguments.of("start", acceptedByKate(), start(KATE), nobodyOnCall()),
                    Arguments.of("complete", inProgressWithKate(), complete(KATE, "Done"), nobodyOnCall()),
                    Arguments.of("cancel", acceptedByKate(), cancel(NURSE_IN_CHARGE, "Transferred", true),
                            nobodyOnCall()),
                    Arguments.of("rejected", acceptedByKate(), accept(RAJ), nobodyOnCall()),
                    Arguments.of("unknown task", null, accept(KATE), nobodyOnCall()));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("decisionsAcrossTheLifecycle")
        void everyEventCarriesTheCommandItCameFromAndTheMomentOfDeciding(String scenario, Task current,
                                                                        TaskCommand command, OfferContext context) {
            Decision decision = Task.decide(current, command, context, LATER);

            assertThat(decision.events()).isNotEmpty().allSatisfy(event -> {
                assertThat(event.commandId()).isEqualTo(command.commandId());
                assertThat(event.taskId()).isEqualTo(command.taskId());
                assertThat(event.actor()).isEqualTo(command.actor());
                assertThat(event.at()).isEqualTo(LATER);
            });
        }

        @Test
        void aChangedTaskIsStampedWithTheMomentOfDeciding() {
            Task started = apply(acceptedByKate(), start(KATE));

            assertThat(started.updatedAt()).isEqualTo(LATER);
            assertThat(started.raisedAt()).isEqualTo(NOW);
        }
    }
}
