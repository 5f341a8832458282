package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pagerless.escalation.model.MedicineOnCall;
import org.pagerless.task.model.Location;
import org.pagerless.task.model.Patient;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.AcknowledgeBroadcast;
import org.pagerless.task.model.TaskCommand.AddHandoverNote;
import org.pagerless.task.model.TaskCommand.CancelTask;
import org.pagerless.task.model.TaskCommand.CompleteTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskCommand.EscalateNow;
import org.pagerless.task.model.TaskCommand.EscalationDue;
import org.pagerless.task.model.TaskCommand.HandBackTask;
import org.pagerless.task.model.TaskCommand.HandOverTask;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.RealertMissing;
import org.pagerless.task.model.TaskCommand.ReassignTask;
import org.pagerless.task.model.TaskCommand.RelocateTask;
import org.pagerless.task.model.TaskCommand.StartTask;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskKind;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The task's JSON did not change when the model was reshaped into parts (offer, ownership, escalation,
 * acknowledgements): {@code task-json-before-parts.txt} is what the flat 23-component record wrote for a run of
 * decisions covering every command (the task state, then each published record with the task it carried). The same
 * decisions now write it byte for byte, and every line of it reads back and is written again unchanged, so rows and
 * records stored before load. Plain JUnit: the object mapper is configured as Quarkus configures it, plus
 * {@link TaskJson#MODULE} as {@link TaskJson} registers it there.
 */
class TaskJsonTest {
    private static final List<String> AUDIENCE = List.of("a", "b");

    private static TaskCodec codec;
    private final List<String> written = new ArrayList<>();
    private int commands;

    @BeforeAll
    static void codec() {
        codec = new TaskCodec();
        codec.json = new ObjectMapper().findAndRegisterModules().registerModule(TaskJson.MODULE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    }

    @Test
    void everyDecisionIsWrittenAsTheFlatModelWroteIt() throws IOException {
        decideEverything();

        assertThat(written).hasSize(63).containsExactlyElementsOf(before());
    }

    @Test
    void everyStateAndRecordWrittenBeforeReadsBackWholeAndIsWrittenTheSame() throws IOException {
        for (String line : before()) {
            if (line.startsWith("TASK ")) {
                String state = line.substring("TASK ".length());
                assertThat(codec.task(codec.task(state))).isEqualTo(state);
            } else {
                String record = line.substring("EVENT ".length());
                TaskCodec.Published read = codec.published(record);
                assertThat(codec.published(read.event(), read.task(), read.audience())).isEqualTo(record);
            }
        }
    }

    /** A reader's views of a record (as the integration stream's): a few fields of the event and of the task. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record Head(UUID eventId, UUID taskId, String actor, Instant at) {
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record Status(UUID id, org.pagerless.task.model.TaskStatus status, long version) {
    }

    @Test
    void everyRecordReadAsViewsInOnePassSaysWhatTheWholeRecordSays() throws IOException {
        int read = 0;
        for (String line : before()) {
            if (!line.startsWith("EVENT ")) {
                continue;
            }
            String record = line.substring("EVENT ".length());
            TaskCodec.Published whole = codec.published(record);
            TaskCodec.Parts<Head, Status> parts = codec.publishedAs(record, Head.class, Status.class);
            TaskEvent e = whole.event();
            assertThat(parts.type()).isEqualTo(e.getClass().getSimpleName());
            assertThat(parts.event()).isEqualTo(new Head(e.eventId(), e.taskId(), e.actor(), e.at()));
            Task t = whole.task();
            assertThat(parts.task()).isEqualTo(t == null ? null : new Status(t.id(), t.status(), t.version()));
            read++;
        }
        assertThat(read).isGreaterThan(20);
    }

    @Test
    void aRecordThatIsNotAsTheProcessorWritesItIsRefusedNamingWhatIsWrong() {
        String ok = "{\"type\":\"TaskStarted\",\"event\":{\"eventId\":\"" + UUID.randomUUID()
                + "\",\"taskId\":\"" + UUID.randomUUID() + "\",\"actor\":\"kate\",\"at\":\"2026-12-02T09:00:00Z\"},"
                + "\"task\":null,\"audience\":[]}";
        assertThat(codec.publishedAs(ok, Head.class, Status.class).task()).isNull();
        assertThat(refused(ok.replace("TaskStarted", "TaskVanished"))).hasMessageContaining("unknown event type");
        assertThat(refused(ok.replace("\"TaskStarted\"", "7"))).hasMessageContaining("unknown event type");
        assertThat(refused(ok.replace(",\"audience\":[]", ""))).hasMessageContaining("audience: is missing");
        assertThat(refused(ok.replace("\"type\":\"TaskStarted\",", ""))).hasMessageContaining("type: is missing");
    }

    /** What {@code publishedAs} throws for {@code text}: always an {@link IllegalArgumentException}. */
    private Throwable refused(String text) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> codec.publishedAs(text, Head.class, Status.class));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        return thrown;
    }

    private static List<String> before() throws IOException {
        try (InputStream in = TaskJsonTest.class.getResourceAsStream("task-json-before-parts.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** A chained task through every step, one that fails, a bleep without a chain handed over, and a broadcast. */
    private void decideEverything() {
        Instant t0 = MedicineOnCall.NINE_AM;
        Target sho = Target.role(MedicineOnCall.SHO);
        OfferContext ctx = MedicineOnCall.context(MedicineOnCall.shoChain(), sho, "7B", t0);

        UUID task1 = UUID.nameUUIDFromBytes("task1".getBytes(StandardCharsets.UTF_8));
        Task t = step(null, new RaiseTask(id(), task1, "grace.okafor", TaskKind.TASK, Priority.STAT, false, sho,
                new TaskDetails(null, null, new Patient("9434765919", "Ada Test"), new Location("7B", "12"), "Cannula",
                        "S: tissued", 3)), ctx, t0);
        t = step(t, EscalationDue.of(task1, t.timer().kind(), t.timer().fence()), ctx, t.timer().dueAt());
        String someone = t.offeredTo().get(0);
        t = step(t, new AddHandoverNote(id(), task1, someone, "bloods sent"), ctx, t0.plusSeconds(400));
        t = step(t, new AcceptTask(id(), task1, someone), ctx, t0.plusSeconds(500));
        t = step(t, EscalationDue.of(task1, t.timer().kind(), t.timer().fence()), ctx, t.timer().dueAt());
        t = step(t, new StartTask(id(), task1, someone), ctx, t0.plusSeconds(4000));
        t = step(t, new RelocateTask(id(), task1, "epr", new Location("7B", "14")), ctx, t0.plusSeconds(4100));
        t = step(t, new HandBackTask(id(), task1, someone, "called away"), ctx, t0.plusSeconds(4200));
        t = step(t, new EscalateNow(id(), task1, "sw", true), ctx, t0.plusSeconds(4300));
        step(t, new CancelTask(id(), task1, "grace.okafor", "done elsewhere", false), ctx, t0.plusSeconds(4400));

        UUID task2 = UUID.nameUUIDFromBytes("task2".getBytes(StandardCharsets.UTF_8));
        Task u = step(null, new RaiseTask(id(), task2, "grace.okafor", TaskKind.BLEEP, Priority.URGENT, false, sho,
                TaskDetails.bleep("4417", "Please call")), ctx, t0);
        for (int i = 0; i < 8 && u.status().isOpen(); i++) {
            u = u.offeredTo().isEmpty()
                    ? step(u, EscalationDue.of(task2, u.timer().kind(), u.timer().fence()), ctx, u.timer().dueAt())
                    : step(u, new DeclineTask(id(), task2, u.offeredTo().get(0), "busy"), ctx, t0.plusSeconds(60 * i));
        }

        UUID task3 = UUID.nameUUIDFromBytes("task3".getBytes(StandardCharsets.UTF_8));
        OfferContext plain = new OfferContext(List.of("kate", "raj"));
        Task v = step(null, new RaiseTask(id(), task3, "sw", TaskKind.BLEEP, Priority.ROUTINE, true, Target.role("x"),
                TaskDetails.bleep("1", "fyi")), plain, t0);
        v = step(v, new DeclineTask(id(), task3, "kate", "no"), plain, t0.plusSeconds(5));
        v = step(v, new ReassignTask(id(), task3, "sw", Target.role("y"), true), new OfferContext(List.of("amira")),
                t0.plusSeconds(6));
        v = step(v, new AddHandoverNote(id(), task3, "amira", "my note"), plain, t0.plusSeconds(7));
        v = step(v, HandOverTask.of(task3, "y", "amira", t0.plusSeconds(8), "generated"), plain, t0.plusSeconds(9));
        v = step(v, new AcceptTask(id(), task3, "kate"), plain, t0.plusSeconds(10));
        step(v, new CompleteTask(id(), task3, "kate", "done"), plain, t0.plusSeconds(11));

        UUID task4 = UUID.nameUUIDFromBytes("task4".getBytes(StandardCharsets.UTF_8));
        OfferContext team = new OfferContext(List.of("kate", "raj", "amira"));
        Task w = step(null, new RaiseTask(id(), task4, "sw", TaskKind.BROADCAST, Priority.STAT, false,
                Target.team("crash"), TaskDetails.bleep("2222", "crash call")), team, t0);
        w = step(w, new AcknowledgeBroadcast(id(), task4, "raj"), team, t0.plusSeconds(30));
        step(w, new RealertMissing(id(), task4, "sw", true), team, t0.plusSeconds(60));
    }

    private Task step(Task task, TaskCommand command, OfferContext context, Instant now) {
        Decision d = Task.decide(task, command, context, now);
        for (TaskEvent e : d.events()) {
            written.add("EVENT " + codec.published(e, d.task(), AUDIENCE));
        }
        if (d.task() != null) {
            written.add("TASK " + codec.task(d.task()));
        }
        return d.task();
    }

    private UUID id() {
        return UUID.nameUUIDFromBytes(("cmd" + commands++).getBytes(StandardCharsets.UTF_8));
    }
}
