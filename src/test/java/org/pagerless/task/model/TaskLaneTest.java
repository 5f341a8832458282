package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A task's lane is written into its id when it is raised, and read back from the id alone. */
class TaskLaneTest {
    /** A name-based id (version 3), as intake derives one from a requester and an idempotency key. */
    static final UUID DERIVED = UUID.nameUUIDFromBytes("intake:sam.patel:key-1".getBytes(StandardCharsets.UTF_8));

    @Test
    void onlyStatTasksHaveTheStatLane() {
        assertThat(TaskLane.of(Priority.STAT)).isEqualTo(TaskLane.STAT);
        for (Priority p : new Priority[] {Priority.ROUTINE, Priority.URGENT, Priority.ASAP}) {
            assertThat(TaskLane.of(p)).as(p.code()).isEqualTo(TaskLane.ROUTINE);
        }
    }

    @Test
    void aStatIdIsItsBaseAsVersion8AndReadsBackAsStat() {
        for (UUID base : new UUID[] {UUID.randomUUID(), DERIVED}) {
            UUID stat = TaskLane.STAT.taskId(base);
            assertThat(stat.version()).isEqualTo(8);
            assertThat(stat.variant()).isEqualTo(base.variant());
            assertThat(stat.getLeastSignificantBits()).isEqualTo(base.getLeastSignificantBits());
            assertThat(stat.getMostSignificantBits() & ~0xF000L).isEqualTo(base.getMostSignificantBits() & ~0xF000L);
            assertThat(TaskLane.of(stat)).isEqualTo(TaskLane.STAT);
            // The same request, retried, names the same task.
            assertThat(TaskLane.STAT.taskId(base)).isEqualTo(stat);
        }
    }

    @Test
    void aRoutineIdIsTheIdATaskAlwaysHadSoTasksRaisedBeforeLanesStayRoutine() {
        UUID random = UUID.randomUUID();
        assertThat(TaskLane.ROUTINE.taskId(random)).isEqualTo(random);
        assertThat(TaskLane.ROUTINE.taskId(DERIVED)).isEqualTo(DERIVED);
        assertThat(TaskLane.of(random)).isEqualTo(TaskLane.ROUTINE);
        assertThat(TaskLane.of(DERIVED)).isEqualTo(TaskLane.ROUTINE);
    }
}
