package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.escalation.model.MedicineOnCall;
import org.pagerless.support.FlowTest;
import org.pagerless.task.model.Location;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskStatus;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Task state and events stored before escalation existed still load; state with a chain round-trips whole. */
@QuarkusTest
class TaskStateCompatibilityFlowTest extends FlowTest {

    @Inject
    TaskCodec codec;

    @Test
    void aTaskStoredBeforeChainsExistedLoadsAsATaskWithoutAChain() {
        Task task = codec.task("""
                {"id":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b01","kind":"BLEEP","priority":"URGENT","fyi":false,
                 "status":"OFFERED","target":{"type":"ROLE","id":"med-sho-oncall"},
                 "details":{"callback":"4417","message":"Please call"},"requester":"sam.patel",
                 "raisedAt":"2026-03-10T09:00:00Z","level":1,"offeredTo":["amira.khan"],"declinedBy":[],
                 "owner":null,"acceptedAt":null,"updatedAt":"2026-03-10T09:00:00Z","version":1}
                """);
        assertThat(task.status()).isEqualTo(TaskStatus.OFFERED);
        assertThat(task.policy()).isNull();
        assertThat(task.timer()).isNull();
        assertThat(task.escalates()).isFalse();

        TaskEvent offered = codec.event("""
                {"type":"TaskOffered","eventId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b02",
                 "taskId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b01","commandId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b03",
                 "actor":"sam.patel","at":"2026-03-10T09:00:00Z","level":1,"offeredTo":["amira.khan"]}
                """);
        assertThat(((TaskOffered) offered).round()).isZero();
        TaskEvent alert = codec.event("""
                {"type":"SwitchboardAlerted","eventId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b04",
                 "taskId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b01","commandId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b03",
                 "actor":"sam.patel","at":"2026-03-10T09:00:00Z","reason":"NO_HOLDER",
                 "target":{"type":"ROLE","id":"derm-reg"}}
                """);
        assertThat(((SwitchboardAlerted) alert).told()).isEmpty();
    }

    @Test
    void aTaskWithItsChainAndTimerRoundTrips() {
        RaiseTask raise = new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "grace.okafor", TaskKind.TASK,
                Priority.STAT, false, Target.role(MedicineOnCall.SHO),
                new TaskDetails(null, null, null, new Location("7B", "12"), "Cannula", "S: tissued", 3));
        Instant now = MedicineOnCall.NINE_AM.plusNanos(123_456_789);
        Task task = Task.decide(null, raise, MedicineOnCall.context(MedicineOnCall.shoChain(), raise.target(), "7B",
                now), now).task();
        assertThat(task.policy()).isEqualTo(MedicineOnCall.shoChain());
        assertThat(task.timer()).isNotNull();

        assertThat(codec.task(codec.task(task))).isEqualTo(task);
    }
}
