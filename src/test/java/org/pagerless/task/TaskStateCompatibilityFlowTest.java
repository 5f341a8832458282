package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
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

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Task state and events stored before escalation existed still load; state with a chain round-trips whole; the
 * one-pass encoders and decoder of published events write and read the same JSON as the tree-based ones did.
 */
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

    @Inject
    ObjectMapper json;

    /** A view of a few of the task's fields, as the delivery planner reads an offered task. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Header(Priority priority, TaskKind kind) {
    }

    /** Equal nodes, numbers compared by value (1.2E+2 and 120.000000000 are the same number). */
    private static final java.util.Comparator<JsonNode> SAME = (a, b) -> a.equals(b)
            || a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    @Test
    void aPublishedEventIsWrittenAsTheTreeBasedEncoderWroteItAndReadBackWhole() throws Exception {
        RaiseTask raise = new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "grace.okafor", TaskKind.TASK,
                Priority.STAT, false, Target.role(MedicineOnCall.SHO),
                new TaskDetails(null, null, null, new Location("7B", "12"), "Cannula", "S: tissued", 3));
        Instant now = MedicineOnCall.NINE_AM.plusNanos(123_456_789);
        Task.Decision decision = Task.decide(null, raise, MedicineOnCall.context(MedicineOnCall.shoChain(),
                raise.target(), "7B", now), now);
        Task task = decision.task();
        List<String> audience = List.of("amira.khan", "grace.okafor");
        TaskCodec.Batch batch = codec.batch();
        assertThat(decision.events()).hasSizeGreaterThan(1);
        for (TaskEvent event : decision.events()) {
            // What the encoders wrote before (a tree per part): the wire and the event log keep that exact text.
            ObjectNode envelope = json.createObjectNode();
            envelope.put("type", event.getClass().getSimpleName());
            envelope.set("event", json.valueToTree(event));
            envelope.set("task", json.valueToTree(task));
            envelope.set("audience", json.valueToTree(audience));
            String treeWritten = json.writeValueAsString(envelope);
            ObjectNode typed = json.valueToTree(event);
            typed.put("type", event.getClass().getSimpleName());

            // The same JSON, field for field and in the same order; only durations are now written as the plain
            // decimal seconds Jackson writes (120.000000000), where a tree wrote 1.2E+2: the same number.
            assertThat(json.readTree(codec.published(event, task, audience)).equals(SAME, json.readTree(treeWritten)))
                    .isTrue();
            assertThat(batch.published(event, task, audience)).isEqualTo(codec.published(event, task, audience));
            assertThat(codec.published(event, task, audience)).startsWith("{\"type\":\""
                    + event.getClass().getSimpleName() + "\",\"event\":{\"eventId\":");
            assertThat(json.readTree(codec.event(event)).equals(SAME, json.readTree(json.writeValueAsString(typed))))
                    .isTrue();
            assertThat(batch.event(event)).isEqualTo(codec.event(event)).endsWith(",\"type\":\""
                    + event.getClass().getSimpleName() + "\"}");

            TaskCodec.Published read = codec.published(treeWritten);
            assertThat(read.event()).isEqualTo(event);
            assertThat(read.task()).isEqualTo(task);
            assertThat(read.audience()).isEqualTo(audience);
            assertThat(read.json()).isEqualTo(treeWritten);
            assertThat(codec.published(treeWritten).patient()).isNull();
            assertThat(codec.published(treeWritten).task(Header.class)).isEqualTo(new Header(Priority.STAT, TaskKind.TASK));
        }
        assertThat(batch.task(task)).isEqualTo(codec.task(task));
        assertThat(codec.published(decision.events().get(0), null, audience)).contains("\"task\":null");
        assertThat(codec.published(codec.published(decision.events().get(0), null, audience)).task()).isNull();
    }

    @Test
    void aPublishedEventWhoseTypeComesLastOrWhoseTaskIsUnreadableIsReadAsFarAsItCanBe() {
        String event = """
                {"eventId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b02","taskId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b01",
                 "commandId":"6f1c2a52-3c1e-4e0e-9d55-0c3a1a1d7b03","actor":"sam.patel","at":"2026-03-10T09:00:00Z",
                 "level":1,"offeredTo":["amira.khan"]}""";
        TaskCodec.Published typeLast = codec.published("{\"event\":" + event
                + ",\"task\":{\"status\":\"NO_SUCH_STATUS\",\"details\":{\"callback\":null,\"patient\":"
                + "{\"nhsNumber\":\"9434765919\",\"name\":\"Ada Test\"}}},\"audience\":[\"amira.khan\"],"
                + "\"type\":\"TaskOffered\"}");
        assertThat(((TaskOffered) typeLast.event()).offeredTo()).containsExactly("amira.khan");
        assertThat(typeLast.audience()).containsExactly("amira.khan");
        // A live page's audit needs only the patient: read without decoding the rest of the task.
        assertThat(typeLast.patient().nhsNumber()).isEqualTo("9434765919");
        // The task is read only when asked for; unreadable, it throws then (the planner's batch parks the record).
        assertThatThrownBy(typeLast::task).isInstanceOf(IllegalArgumentException.class);

        assertThatThrownBy(() -> codec.published("{\"type\":\"TaskOffered\",\"event\":" + event + ",\"task\":{\"id\":"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.published("{\"type\":\"NoSuchEvent\",\"event\":" + event
                + ",\"task\":null,\"audience\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.published("{\"type\":\"TaskOffered\",\"event\":" + event + ",\"task\":null}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
