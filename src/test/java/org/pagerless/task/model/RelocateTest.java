package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.task.model.Tasks.KATE;
import static org.pagerless.task.model.Tasks.LATER;
import static org.pagerless.task.model.Tasks.NURSE_IN_CHARGE;
import static org.pagerless.task.model.Tasks.TASK_ID;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.RelocateTask;
import org.pagerless.task.model.TaskEvent.TaskRelocated;

/** A transferred patient's open task follows them: new place, same owner, the new ward's nurse in charge told. */
class RelocateTest {
    static final Location AMU_BED_1 = new Location("AMU", "1");
    static final OfferContext AMU_NURSE_IN_CHARGE = new OfferContext(List.of(), null, List.of(),
            List.of(NURSE_IN_CHARGE), List.of());

    @Test
    void anAcceptedTaskMovesWithThePatientKeepsItsOwnerAndTellsTheOwnerAndTheNewWardsNurseInCharge() {
        Task accepted = Tasks.acceptedByKate();

        Decision d = Task.decide(accepted, RelocateTask.of(TASK_ID, "epr", "MSG-2", AMU_BED_1), AMU_NURSE_IN_CHARGE,
                LATER);

        assertThat(d.events()).singleElement().isInstanceOfSatisfying(TaskRelocated.class, e -> {
            assertThat(e.from()).isEqualTo(accepted.details().location());
            assertThat(e.to()).isEqualTo(AMU_BED_1);
            assertThat(e.told()).containsExactly(KATE, NURSE_IN_CHARGE);
            assertThat(e.actor()).isEqualTo("epr");
        });
        assertThat(d.task().details().location()).isEqualTo(AMU_BED_1);
        assertThat(d.task().details().wardId()).isEqualTo("AMU");
        assertThat(d.task().owner()).isEqualTo(KATE);
        assertThat(d.task().status()).isEqualTo(accepted.status());
        assertThat(d.task().version()).isEqualTo(accepted.version() + 1);
    }

    @Test
    void aTaskAlreadyThereAClosedTaskAndAnUnknownTaskAreLeftAloneSilently() {
        Task moved = Task.decide(Tasks.acceptedByKate(), RelocateTask.of(TASK_ID, "epr", "MSG-2", AMU_BED_1),
                AMU_NURSE_IN_CHARGE, LATER).task();

        Decision again = Task.decide(moved, RelocateTask.of(TASK_ID, "epr", "MSG-3", AMU_BED_1), AMU_NURSE_IN_CHARGE,
                LATER);
        assertThat(again.ignored()).isTrue();
        assertThat(again.task()).isSameAs(moved);

        Decision closed = Task.decide(Tasks.completedByKate(), RelocateTask.of(TASK_ID, "epr", "MSG-2", AMU_BED_1),
                AMU_NURSE_IN_CHARGE, LATER);
        assertThat(closed.ignored()).isTrue();

        assertThat(Task.decide(null, RelocateTask.of(TASK_ID, "epr", "MSG-2", AMU_BED_1), AMU_NURSE_IN_CHARGE, LATER)
                .ignored()).isTrue();
    }

    @Test
    void theSameFeedMessageAlwaysMakesTheSameCommandId() {
        assertThat(RelocateTask.of(TASK_ID, "epr", "MSG-2", AMU_BED_1).commandId())
                .isEqualTo(RelocateTask.of(TASK_ID, "epr", "MSG-2", AMU_BED_1).commandId())
                .isNotEqualTo(RelocateTask.of(TASK_ID, "epr", "MSG-3", AMU_BED_1).commandId());
    }
}
