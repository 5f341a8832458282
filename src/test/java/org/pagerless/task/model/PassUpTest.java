package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.escalation.model.MedicineOnCall.NINE_AM;
import static org.pagerless.escalation.model.MedicineOnCall.SHO;
import static org.pagerless.task.model.TaskEscalationTest.DAY_SHOS;
import static org.pagerless.task.model.TaskEscalationTest.contextFor;
import static org.pagerless.task.model.TaskEscalationTest.names;
import static org.pagerless.task.model.TaskEscalationTest.raise;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.TaskCommand.PassUp;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.TaskDeclined;
import org.pagerless.task.model.TaskEvent.TaskEscalated;

/** SMS "3": someone offered the task declines it and sends it to the next step of its chain at once. */
class PassUpTest {

    @Test
    void passingUpDeclinesAndEntersTheNextStepNowWhileTheOtherShoKeepsIt() {
        Task task = raise(Priority.URGENT, SHO, NINE_AM).task();
        Instant at = NINE_AM.plusSeconds(30);
        Decision d = Task.decide(task, passUp(task, "amira.khan"), contextFor(task, at), at);

        assertThat(names(d)).containsExactly("TaskDeclined", "TaskEscalated", "TaskOffered");
        assertThat(((TaskDeclined) d.events().get(0)).reason()).isEqualTo("passed up the chain by SMS");
        TaskEscalated escalated = (TaskEscalated) d.events().get(1);
        assertThat(escalated.reason()).isEqualTo(EscalationReason.PASSED_UP);
        assertThat(escalated.fromLevel()).isEqualTo(1);
        assertThat(escalated.toLevel()).isEqualTo(2);
        assertThat(d.task().level()).isEqualTo(2);
        assertThat(d.task().offeredTo()).contains("dan.wright").doesNotContain("amira.khan")
                .hasSizeGreaterThan(1);
        assertThat(d.task().offer().declinedBy()).containsExactly("amira.khan");
        assertThat(d.task().timer().dueAt()).isAfter(at);
    }

    @Test
    void onlySomeoneOfferedItCanPassItUp() {
        Task task = raise(Priority.URGENT, SHO, NINE_AM).task();
        assertThat(Task.decide(task, passUp(task, "kate.morgan"), contextFor(task, NINE_AM), NINE_AM).rejected())
                .isTrue();
        Task accepted = Task.decide(task, new TaskCommand.AcceptTask(UUID.randomUUID(), task.id(), DAY_SHOS.get(1)),
                contextFor(task, NINE_AM), NINE_AM).task();
        assertThat(Task.decide(accepted, passUp(accepted, "amira.khan"), contextFor(accepted, NINE_AM), NINE_AM)
                .rejected()).isTrue();
    }

    @Test
    void atTheLastStepPassingUpIsAnOrdinaryDecline() {
        Task task = raise(Priority.URGENT, SHO, NINE_AM).task();
        Task last = task;
        while (last.level() < last.policy().lastLevel()) {
            last = Task.decide(last, new TaskCommand.EscalateNow(UUID.randomUUID(), last.id(), "grace.okafor", true),
                    contextFor(last, NINE_AM), NINE_AM).task();
        }
        String someone = last.offeredTo().get(0);
        Decision d = Task.decide(last, passUp(last, someone), contextFor(last, NINE_AM), NINE_AM);
        assertThat(names(d)).startsWith("TaskDeclined");
        assertThat(names(d)).doesNotContain("TaskEscalated");
        assertThat(d.task().offeredTo()).doesNotContain(someone);
    }

    private static PassUp passUp(Task task, String who) {
        return new PassUp(UUID.randomUUID(), task.id(), who, "passed up the chain by SMS");
    }
}
