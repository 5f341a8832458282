package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.escalation.model.MedicineOnCall.EIGHT_PM;
import static org.pagerless.escalation.model.MedicineOnCall.SHO;
import static org.pagerless.task.model.TaskEscalationTest.contextFor;
import static org.pagerless.task.model.TaskEscalationTest.names;
import static org.pagerless.task.model.TaskEscalationTest.raise;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.escalation.model.MedicineOnCall;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.AddHandoverNote;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.HandBackTask;
import org.pagerless.task.model.TaskCommand.HandOverTask;
import org.pagerless.task.model.TaskEvent.AlertReason;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskEscalated;
import org.pagerless.task.model.TaskEvent.TaskHandedOver;
import org.pagerless.task.model.TaskEvent.TaskOffered;

/**
 * Shift handover and hand back in the pure model, on {@link MedicineOnCall}: the day SHOs (Amira, Dan, and Liam
 * from 09:05) go off at 20:00 and Noah comes on for the night.
 */
class HandoverTest {
    static final Instant SEVEN_PM = EIGHT_PM.minus(Duration.ofHours(1));
    static final String NOTE = "shift ended 20:00, handed over from Dr Amira Khan";

    // --- handover at shift change ----------------------------------------------------------------------

    @Test
    void anOwnedTaskIsOfferedToTheIncomingHolderWithTheNoteAndAFreshTimer() {
        Task owned = accept(raise(Priority.URGENT, SHO, SEVEN_PM).task(), "amira.khan");

        Decision d = handOver(owned, "amira.khan", EIGHT_PM);

        assertThat(d.events()).singleElement().isInstanceOfSatisfying(TaskHandedOver.class, e -> {
            assertThat(e.fromStaff()).isEqualTo("amira.khan");
            assertThat(e.toStaff()).containsExactly("noah.green");
            assertThat(e.role()).isEqualTo(SHO);
            assertThat(e.note()).isEqualTo(NOTE);
            assertThat(e.shiftEnded()).isEqualTo(EIGHT_PM);
        });
        Task task = d.task();
        assertThat(task.status()).isEqualTo(TaskStatus.OFFERED);
        assertThat(task.owner()).isNull();
        assertThat(task.offeredTo()).containsExactly("noah.green");
        assertThat(task.level()).isEqualTo(1);
        assertThat(task.handoverNote().text()).isEqualTo(NOTE);
        assertThat(task.timer()).isEqualTo(new TaskTimer(TimerKind.ACK_TIMEOUT, EIGHT_PM.plus(Duration.ofMinutes(10)),
                task.version()));
    }

    @Test
    void anOfferedTaskSwapsOnlyTheOutgoingHolderForTheIncoming() {
        Task offered = raise(Priority.URGENT, SHO, SEVEN_PM).task();
        assertThat(offered.offeredTo()).containsExactly("amira.khan", "dan.wright", "liam.murphy");

        Decision d = handOver(offered, "amira.khan", EIGHT_PM);

        assertThat(names(d)).containsExactly("TaskHandedOver");
        assertThat(d.task().offeredTo()).containsExactly("dan.wright", "liam.murphy", "noah.green");
        assertThat(d.task().escalation().round()).isZero();
    }

    @Test
    void theOwnersOwnNoteTravelsWithTheTaskAndIsUsedOnce() {
        Task owned = accept(raise(Priority.URGENT, SHO, SEVEN_PM).task(), "amira.khan");
        Decision noted = Task.decide(owned, new AddHandoverNote(UUID.randomUUID(), owned.id(), "amira.khan",
                "Bloods sent, chase potassium at 21:00"), OfferContext.NONE, SEVEN_PM);
        assertThat(names(noted)).containsExactly("HandoverNoteAdded");
        assertThat(noted.task().handoverNote().text()).isEqualTo("Bloods sent, chase potassium at 21:00");

        Decision d = handOver(noted.task(), "amira.khan", EIGHT_PM);

        assertThat(((TaskHandedOver) d.events().get(0)).note()).isEqualTo("Bloods sent, chase potassium at 21:00");
        assertThat(d.task().handoverNote().text()).isEqualTo("Bloods sent, chase potassium at 21:00");

        // Handed over again by Noah, who wrote nothing: the generated note, not Amira's old one.
        Task noahs = accept(d.task(), "noah.green");
        Decision next = Task.decide(noahs, HandOverTask.of(noahs.id(), SHO, "noah.green", EIGHT_PM.plus(
                Duration.ofHours(12)), "shift ended 08:00, handed over from Dr Noah Green"),
                new OfferContext(List.of("amira.khan")), EIGHT_PM.plus(Duration.ofHours(12)));
        assertThat(((TaskHandedOver) next.events().get(0)).note())
                .isEqualTo("shift ended 08:00, handed over from Dr Noah Green");
    }

    @Test
    void aHandoverToNobodyAlertsSwitchboardAndTheChainMovesOnAtOnce() {
        Task owned = accept(raise(Priority.URGENT, SHO, SEVEN_PM).task(), "amira.khan");
        OfferContext atEight = contextFor(owned, EIGHT_PM);
        OfferContext uncovered = new OfferContext(List.of(), atEight.policy(), atEight.steps(),
                atEight.nurseInCharge(), atEight.switchboard());

        Decision d = Task.decide(owned, HandOverTask.of(owned.id(), SHO, "amira.khan", EIGHT_PM, NOTE), uncovered,
                EIGHT_PM);

        assertThat(d.events().get(0)).isInstanceOfSatisfying(SwitchboardAlerted.class, a -> {
            assertThat(a.reason()).isEqualTo(AlertReason.NO_HOLDER);
            assertThat(a.target()).isEqualTo(Target.role(SHO));
            assertThat(a.told()).containsExactly("sam.patel");
        });
        assertThat(names(d)).doesNotContain("TaskHandedOver").contains("TaskEscalated").endsWith("TaskOffered");
        // At 20:00 the registrar and the 7B nurse in charge have gone too: the coordinator and switchboard have it.
        assertThat(d.task().status()).isEqualTo(TaskStatus.OFFERED);
        assertThat(d.task().owner()).isNull();
        assertThat(d.task().level()).isEqualTo(3);
        assertThat(d.task().offeredTo()).containsExactly("ian.ross", "sam.patel");
    }

    @Test
    void aHandoverThatNoLongerAppliesIsIgnored() {
        Task offered = raise(Priority.URGENT, SHO, SEVEN_PM).task();
        Task danHasIt = accept(offered, "dan.wright");
        Task completed = Task.decide(danHasIt, new CompleteTask(UUID.randomUUID(), offered.id(), "dan.wright", null),
                OfferContext.NONE, SEVEN_PM).task();
        Task handedOver = handOver(offered, "amira.khan", EIGHT_PM).task();

        for (Task task : List.of(danHasIt, completed, handedOver)) {
            Decision d = handOver(task, "amira.khan", EIGHT_PM);
            assertThat(d.ignored()).as(task.status().code()).isTrue();
            assertThat(d.task()).isSameAs(task);
        }
        Decision otherRole = Task.decide(offered, HandOverTask.of(offered.id(), "med-reg-oncall", "amira.khan",
                EIGHT_PM, NOTE), contextFor(offered, EIGHT_PM), EIGHT_PM);
        assertThat(otherRole.ignored()).isTrue();
    }

    @Test
    void theSameHandoverDetectedTwiceHasOneCommandId() {
        UUID task = UUID.randomUUID();
        assertThat(HandOverTask.of(task, SHO, "amira.khan", EIGHT_PM, NOTE).commandId())
                .isEqualTo(HandOverTask.of(task, SHO, "amira.khan", EIGHT_PM, "another note").commandId())
                .isNotEqualTo(HandOverTask.of(task, SHO, "dan.wright", EIGHT_PM, NOTE).commandId());
    }

    // --- hand back -------------------------------------------------------------------------------------

    @Test
    void theOwnerHandsBackAndTheRolesOtherHoldersAreOfferedIt() {
        Task owned = accept(raise(Priority.URGENT, SHO, SEVEN_PM).task(), "amira.khan");

        Decision d = handBack(owned, "amira.khan", SEVEN_PM.plusSeconds(60));

        assertThat(names(d)).containsExactly("TaskHandedBack", "TaskOffered");
        assertThat(((TaskOffered) d.events().get(1)).offeredTo()).containsExactly("dan.wright", "liam.murphy");
        Task task = d.task();
        assertThat(task.status()).isEqualTo(TaskStatus.OFFERED);
        assertThat(task.owner()).isNull();
        assertThat(task.offeredTo()).doesNotContain("amira.khan");
        assertThat(task.offer().declinedBy()).contains("amira.khan");
        assertThat(task.timer().kind()).isEqualTo(TimerKind.ACK_TIMEOUT);
        assertThat(task.timer().dueAt()).isEqualTo(SEVEN_PM.plusSeconds(60).plus(Duration.ofMinutes(10)));
    }

    @Test
    void handedBackWithNobodyElseOnTheRoleItMovesToTheNextStep() {
        Task owned = accept(raise(MedicineOnCall.shoChain(), Priority.URGENT, Target.person("amira.khan"), SEVEN_PM)
                .task(), "amira.khan");

        Decision d = handBack(owned, "amira.khan", SEVEN_PM);

        assertThat(names(d)).containsExactly("TaskHandedBack", "TaskEscalated", "TaskOffered");
        TaskEscalated escalated = (TaskEscalated) d.events().get(1);
        assertThat(escalated.reason()).isEqualTo(EscalationReason.HANDED_BACK);
        assertThat(escalated.toLevel()).isEqualTo(2);
        assertThat(d.task().offeredTo()).containsExactly("kate.morgan", "grace.okafor");
        assertThat(d.task().owner()).isNull();
    }

    @Test
    void aHandBackAfterTheTaskReachedTheRegistrarGoesBackToTheRegistrarNotOnToSwitchboard() {
        // Raised by the 7B nurse in charge to the SHOs at 10:00; nobody accepts in 10 minutes, so step 2 (the registrar
        // and the nurse in charge) has it too; then Amira accepts after all, and hands it back for a registrar review.
        Instant ten = MedicineOnCall.NINE_AM.plus(Duration.ofHours(1));
        TaskCommand.RaiseTask raise = new TaskCommand.RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "grace.okafor",
                TaskKind.TASK, Priority.URGENT, false, Target.role(SHO), TaskEscalationTest.details());
        Task offered = Task.decide(null, raise, MedicineOnCall.context(MedicineOnCall.shoChain(), raise.target(), "7B",
                ten), ten).task();
        Instant tenPast = ten.plus(Duration.ofMinutes(10));
        Task atStepTwo = TaskEscalationTest.fire(offered, tenPast).task();
        assertThat(atStepTwo.level()).isEqualTo(2);
        assertThat(atStepTwo.offeredTo()).contains("kate.morgan").doesNotContain("grace.okafor");
        Task owned = accept(atStepTwo, "amira.khan");

        Decision d = Task.decide(owned, new HandBackTask(UUID.randomUUID(), owned.id(), "amira.khan", "reg review"),
                contextFor(owned, tenPast.plusSeconds(60)), tenPast.plusSeconds(60));

        assertThat(names(d)).containsExactly("TaskHandedBack", "TaskOffered");
        TaskOffered offer = (TaskOffered) d.events().get(1);
        assertThat(offer.level()).isEqualTo(2);
        // Everyone the chain had reached, less Amira and the nurse who raised it: never on to the last resort.
        assertThat(offer.offeredTo()).containsExactly("dan.wright", "liam.murphy", "kate.morgan");
        assertThat(d.task().level()).isEqualTo(2);
        assertThat(d.task().offeredTo()).doesNotContain("sam.patel", "ian.ross", "amira.khan", "grace.okafor");
        assertThat(d.task().timer().dueAt()).isEqualTo(tenPast.plusSeconds(60).plus(Duration.ofMinutes(10)));
    }

    @Test
    void aHandBackIsNeverOfferedToWhoeverRaisedTheTask() {
        Instant ten = MedicineOnCall.NINE_AM.plus(Duration.ofHours(1));
        // Dan raised it to the SHO role (he holds it too); Amira takes it and hands it back: Liam, not Dan.
        TaskCommand.RaiseTask raise = new TaskCommand.RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "dan.wright",
                TaskKind.TASK, Priority.URGENT, false, Target.role(SHO), TaskEscalationTest.details());
        Task offered = Task.decide(null, raise, MedicineOnCall.context(MedicineOnCall.shoChain(), raise.target(), "7B",
                ten), ten).task();
        Task owned = accept(offered, "amira.khan");

        Decision d = handBack(owned, "amira.khan", ten);

        assertThat(((TaskOffered) d.events().get(1)).offeredTo()).containsExactly("liam.murphy");
    }

    @Test
    void withoutAChainAndNobodyElseAHandBackAlertsSwitchboard() {
        Task owned = Tasks.acceptedByKate();
        Decision d = Task.decide(owned, new HandBackTask(UUID.randomUUID(), owned.id(), Tasks.KATE, "Unwell"),
                new OfferContext(List.of(Tasks.KATE)), Tasks.LATER);
        assertThat(names(d)).containsExactly("TaskHandedBack", "SwitchboardAlerted");
        assertThat(d.task().status()).isEqualTo(TaskStatus.REQUESTED);
        assertThat(d.task().offeredTo()).isEmpty();
    }

    @Test
    void onlyTheOwnerOfAnOpenTaskMayHandItBackOrLeaveANote() {
        Task offered = raise(Priority.URGENT, SHO, SEVEN_PM).task();
        Task owned = accept(offered, "amira.khan");
        assertThat(rejection(handBack(owned, "dan.wright", SEVEN_PM))).isEqualTo(Rejection.NOT_OWNER);
        assertThat(rejection(handBack(offered, "amira.khan", SEVEN_PM))).isEqualTo(Rejection.NOT_OWNER);
        Task completed = Task.decide(owned, new CompleteTask(UUID.randomUUID(), owned.id(), "amira.khan", null),
                OfferContext.NONE, SEVEN_PM).task();
        assertThat(rejection(handBack(completed, "amira.khan", SEVEN_PM))).isEqualTo(Rejection.TASK_CLOSED);
        Decision strangersNote = Task.decide(owned, new AddHandoverNote(UUID.randomUUID(), owned.id(), "dan.wright",
                "not mine"), OfferContext.NONE, SEVEN_PM);
        assertThat(rejection(strangersNote)).isEqualTo(Rejection.NOT_OWNER);
        assertThat(strangersNote.task()).isSameAs(owned);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    static Task accept(Task task, String who) {
        return Task.decide(task, new AcceptTask(UUID.randomUUID(), task.id(), who), OfferContext.NONE, SEVEN_PM)
                .task();
    }

    static Decision handOver(Task task, String from, Instant at) {
        return Task.decide(task, HandOverTask.of(task.id(), SHO, from, at, NOTE), contextFor(task, at), at);
    }

    static Decision handBack(Task task, String who, Instant at) {
        return Task.decide(task, new HandBackTask(UUID.randomUUID(), task.id(), who, "Called to resus"),
                contextFor(task, at), at);
    }

    static Rejection rejection(Decision d) {
        assertThat(d.rejected()).isTrue();
        return ((TaskEvent.CommandRejected) d.events().get(0)).rejection();
    }
}
