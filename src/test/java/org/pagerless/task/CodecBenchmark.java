package org.pagerless.task;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.pagerless.conversation.model.SystemLines;
import org.pagerless.escalation.model.MedicineOnCall;
import org.pagerless.interop.events.IntegrationEvent;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskKind;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CPU per bleep spent writing and reading task events (issue 13): the processor's encoding of one raise (its events
 * published, its event rows and task row written) and the three readers of each published event (the live feed, the
 * delivery planner, the thread lines), each timed in <b>thread CPU time</b> (not wall time, so a loaded machine skews
 * it far less), the tree-based codec of before 2026-12-01 beside today's. Not a test; no Quarkus: the object mapper is
 * configured as Quarkus configures it.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.task.CodecBenchmark [rounds=20000]</pre>
 */
public final class CodecBenchmark {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final java.util.Map<String, Class<?>> EVENT_TYPES = Arrays.stream(
            TaskEvent.class.getPermittedSubclasses()).collect(java.util.stream.Collectors.toMap(Class::getSimpleName,
                    c -> c));

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        ObjectMapper json = new ObjectMapper().findAndRegisterModules().registerModule(TaskJson.MODULE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        TaskCodec codec = new TaskCodec();
        codec.json = json;

        // An urgent bleep to the SHO, decided as the processor decides it: TaskRaised and TaskOffered.
        RaiseTask raise = new RaiseTask(UUID.randomUUID(), UUID.randomUUID(), "sam.patel", TaskKind.BLEEP,
                Priority.URGENT, false, Target.role(MedicineOnCall.SHO),
                new TaskDetails("4417", "Please call", null, null, null, null, null));
        Task.Decision decision = Task.decide(null, raise, MedicineOnCall.context(MedicineOnCall.shoChain(),
                raise.target(), null, MedicineOnCall.NINE_AM), MedicineOnCall.NINE_AM);
        Task task = decision.task();
        List<TaskEvent> events = decision.events();
        List<String> audience = List.of("amira.khan", "sam.patel");
        List<String> published = events.stream().map(e -> codec.published(e, task, audience)).toList();
        System.out.printf("one raise: %d events %s; published record %d chars, task state %d chars; %d rounds%n",
                events.size(), events.stream().map(e -> e.getClass().getSimpleName()).toList(),
                published.get(0).length(), codec.task(task).length(), rounds);

        Work encodeBefore = () -> {
            int n = treeTyped(json, task).length();
            for (TaskEvent e : events) {
                n += treePublished(json, e, task, audience).length() + treeTyped(json, e).length();
            }
            return n;
        };
        Work encodeNow = () -> {
            TaskCodec.Batch batch = codec.batch();
            int n = batch.task(task).length();
            for (TaskEvent e : events) {
                n += batch.published(e, task, audience).length() + batch.event(e).length();
            }
            return n;
        };
        // Before: each of the three readers decoded event, task and audience of every record.
        Work readBefore = () -> {
            int n = 0;
            for (int reader = 0; reader < 3; reader++) {
                for (String text : published) {
                    n += treeRead(json, text);
                }
            }
            return n;
        };
        // Now: the feed reads only the task's patient (for the audit of an open page it is sent to), the planner reads
        // four fields of the task only for an offer, the thread lines never.
        Work readNow = () -> {
            int n = 0;
            for (String text : published) {
                TaskCodec.Published feed = codec.published(text);
                n += feed.patient() == null ? 1 : 0;
                TaskCodec.Published planner = codec.published(text);
                if (planner.event() instanceof TaskOffered) {
                    n += planner.task(Offered.class).fyi() ? 1 : 0;
                }
                n += codec.published(text).event().eventId().hashCode() & 1;
            }
            return n;
        };
        Work commandBefore = () -> treeTyped(json, raise).length() + treeCommand(json, treeTyped(json, raise));
        Work commandNow = () -> codec.command(raise).length() + (codec.command(codec.command(raise)) != null ? 1 : 0);

        System.out.println();
        System.out.println("| per bleep | tree-based (before) µs CPU | now µs CPU | ratio |");
        System.out.println("|---|---|---|---|");
        row("processor: encode task row, event rows, published records", encodeBefore, encodeNow, rounds);
        row("readers: feed + planner + thread lines decode the records", readBefore, readNow, rounds);
        row("intake: encode the raise command; processor: decode it", commandBefore, commandNow, rounds);

        // The other readers of every published record (2026-12-02): the task thread's lines, FHIR subscription
        // matching (no subscription live) and the integration stream, as on main 1d5195b and now.
        Work linesBefore = () -> {
            int n = 0;
            for (String text : published) {
                n += SystemLines.lineFor(codec.published(text).event(), id -> id).map(String::length).orElse(0);
            }
            return n;
        };
        Work linesNow = () -> {
            int n = 0;
            for (String text : published) {
                TaskEvent event = codec.publishedEvent(text, SystemLines::mayHaveLine);
                n += event == null ? 0 : SystemLines.lineFor(event, id -> id).map(String::length).orElse(0);
            }
            return n;
        };
        // Before, with no subscription live, each record was still read and its task decoded (to skip a record
        // without a task); now a batch with none live reads no record (one query per batch, not counted here).
        Work fhirBefore = () -> {
            int n = 0;
            for (String text : published) {
                TaskCodec.Published p = codec.published(text);
                n += p.event() instanceof TaskEvent.CommandRejected || p.task() == null ? 0 : 1;
            }
            return n;
        };
        Work fhirNow = () -> 0;
        Work streamBefore = () -> {
            int n = 0;
            for (String text : published) {
                TaskCodec.Published p = codec.published(text);
                n += json.writeValueAsString(IntegrationEvent.of(p.event(), stateOf(p.task()))).length();
            }
            return n;
        };
        Work streamNow = () -> {
            int n = 0;
            for (String text : published) {
                TaskCodec.Published p = codec.published(text);
                n += json.writeValueAsString(IntegrationEvent.of(p.event(), p.task(IntegrationEvent.TaskState.class)))
                        .length();
            }
            return n;
        };
        for (String text : published) {
            TaskCodec.Published p = codec.published(text);
            if (!json.writeValueAsString(IntegrationEvent.of(p.event(), stateOf(p.task()))).equals(
                    json.writeValueAsString(IntegrationEvent.of(p.event(), p.task(IntegrationEvent.TaskState.class))))) {
                throw new IllegalStateException("the integration record differs");
            }
        }
        System.out.println();
        System.out.println("| per bleep (2 records) | main 1d5195b µs CPU | now µs CPU | ratio | main KB allocated | now KB |");
        System.out.println("|---|---|---|---|---|---|");
        row2("thread lines: read the records", linesBefore, linesNow, rounds);
        row2("FHIR subscriptions, none live: read the records", fhirBefore, fhirNow, rounds);
        row2("integration stream: read, build and write the records", streamBefore, streamNow, rounds);

        // Branch bleepcost (2026-12-02): the integration stream reads the event's head and the task's relayed fields
        // in one pass and writes with a prepared writer; the planner skips by the type header the records that offer
        // nothing (the raise's TaskRaised), reading only the offer.
        List<String> types = events.stream().map(e -> e.getClass().getSimpleName()).toList();
        com.fasterxml.jackson.databind.ObjectWriter writer = json.writerFor(IntegrationEvent.class);
        Work streamOnePass = () -> {
            int n = 0;
            for (String text : published) {
                TaskCodec.Parts<IntegrationEvent.EventHead, IntegrationEvent.TaskState> read = codec.publishedAs(text,
                        IntegrationEvent.EventHead.class, IntegrationEvent.TaskState.class);
                n += writer.writeValueAsString(IntegrationEvent.of(read.type(), read.event(), read.task())).length();
            }
            return n;
        };
        for (String text : published) {
            TaskCodec.Published p = codec.published(text);
            TaskCodec.Parts<IntegrationEvent.EventHead, IntegrationEvent.TaskState> read = codec.publishedAs(text,
                    IntegrationEvent.EventHead.class, IntegrationEvent.TaskState.class);
            if (!json.writeValueAsString(IntegrationEvent.of(p.event(), stateOf(p.task()))).equals(
                    writer.writeValueAsString(IntegrationEvent.of(read.type(), read.event(), read.task())))) {
                throw new IllegalStateException("the one-pass integration record differs");
            }
        }
        Work plannerEvery = () -> {
            int n = 0;
            for (String text : published) {
                TaskCodec.Published planner = codec.published(text);
                if (planner.event() instanceof TaskOffered) {
                    n += planner.task(Offered.class).fyi() ? 1 : 0;
                }
            }
            return n;
        };
        Work plannerByHeader = () -> {
            int n = 0;
            for (int i = 0; i < published.size(); i++) {
                if (!"TaskOffered".equals(types.get(i))) {
                    continue; // the header names a type that offers nothing: the record is not read
                }
                TaskCodec.Published planner = codec.published(published.get(i));
                if (planner.event() instanceof TaskOffered) {
                    n += planner.task(Offered.class).fyi() ? 1 : 0;
                }
            }
            return n;
        };
        System.out.println();
        System.out.println("| per bleep (2 records) | main 4635e0f µs CPU | bleepcost µs CPU | ratio | main KB allocated | bleepcost KB |");
        System.out.println("|---|---|---|---|---|---|");
        row2("integration stream: read, build and write the records", streamNow, streamOnePass, rounds);
        row2("delivery planner: read the records (type header skips TaskRaised)", plannerEvery, plannerByHeader, rounds);
    }

    /** The task as the integration stream relays it, from a fully decoded task (how main read it). */
    private static IntegrationEvent.TaskState stateOf(Task t) {
        TaskDetails d = t.details();
        return new IntegrationEvent.TaskState(t.id(), t.kind(), t.status(), t.priority(), t.fyi(),
                d == null ? null : new IntegrationEvent.TaskState.Details(d.location(), d.type()), t.target(),
                t.requester(), t.owner(), t.level(), t.version());
    }

    private static void row2(String what, Work before, Work now, int rounds) throws Exception {
        double b = micros(before, rounds);
        double n = micros(now, rounds);
        double ab = kilobytes(before, rounds);
        double an = kilobytes(now, rounds);
        System.out.printf("| %s | %.1f | %.1f | %s | %.1f | %.1f |%n", what, b, n,
                n < 0.05 ? "—" : String.format("%.1f×", b / n), ab, an);
    }

    /** Kilobytes allocated by this thread per run, after the JIT is warm. */
    private static double kilobytes(Work work, int rounds) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) CPU;
        long sink = 0;
        long a0 = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) {
            sink += work.run();
        }
        double kb = (threads.getCurrentThreadAllocatedBytes() - a0) / 1024.0 / rounds;
        return sink == 42 ? kb + 0 : kb;
    }

    /** The fields the delivery planner reads of an offered task (as its own {@code DeliveryPlanner.Offered}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Offered(Priority priority, boolean fyi, TaskKind kind, TaskDetails details) {
    }

    interface Work {
        int run() throws Exception;
    }

    private static void row(String what, Work before, Work now, int rounds) throws Exception {
        double b = micros(before, rounds);
        double n = micros(now, rounds);
        System.out.printf("| %s | %.1f | %.1f | %.1f× |%n", what, b, n, b / n);
    }

    /** Thread CPU microseconds per run, after as many runs again to warm the JIT; best of three. */
    private static double micros(Work work, int rounds) throws Exception {
        long sink = 0;
        for (int i = 0; i < rounds; i++) {
            sink += work.run();
        }
        double best = Double.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                sink += work.run();
            }
            best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / 1000.0 / rounds);
        }
        if (sink == 42) {
            System.out.print("");
        }
        return best;
    }

    // The codec as it was (main at cf68126): a tree per part, then written or converted.

    private static String treePublished(ObjectMapper json, TaskEvent event, Task task, List<String> audience)
            throws Exception {
        ObjectNode node = json.createObjectNode();
        node.put("type", event.getClass().getSimpleName());
        node.set("event", json.valueToTree(event));
        node.set("task", json.valueToTree(task));
        node.set("audience", json.valueToTree(audience));
        return json.writeValueAsString(node);
    }

    private static String treeTyped(ObjectMapper json, Object value) throws Exception {
        ObjectNode node = json.valueToTree(value);
        node.put("type", value.getClass().getSimpleName());
        return json.writeValueAsString(node);
    }

    private static int treeCommand(ObjectMapper json, String text) throws Exception {
        ObjectNode node = (ObjectNode) json.readTree(text);
        node.remove("type");
        return json.treeToValue(node, RaiseTask.class) != null ? 1 : 0;
    }

    private static int treeRead(ObjectMapper json, String text) throws Exception {
        JsonNode node = json.readTree(text);
        Class<?> type = EVENT_TYPES.get(node.path("type").asText());
        TaskEvent event = (TaskEvent) json.treeToValue(node.get("event"), type);
        Task task = json.treeToValue(node.get("task"), Task.class);
        String[] audience = json.treeToValue(node.get("audience"), String[].class);
        return (event.eventId().hashCode() & 1) + (task.version() > 0 ? 1 : 0) + audience.length;
    }
}
