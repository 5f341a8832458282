package org.pagerless.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.TaskPhones;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;
import org.pagerless.task.TaskCodec;
import org.pagerless.task.model.TaskCommand.EscalationDue;
import org.pagerless.task.model.TimerKind;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The escalation chain as the ward lives it, on the demo hospital's rota, with the clock moved forward
 * instead of waited on. The clock is shared by every test in the run: each test resets it, and asserts
 * only about its own tasks.
 */
@QuarkusTest
class EscalationFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final String REGISTRAR = "Medical Registrar On-Call";
    static final String NIC_7B = "Nurse in Charge 7B";
    static final String COORDINATOR = "Hospital at Night Coordinator";
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api WARD_NURSE = Api.as("grace.okafor");

    @Inject
    TestClock clock;
    @Inject
    EscalationTicker ticker;
    @Inject
    TaskCodec codec;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @AfterEach
    void backToNow() {
        ticker.start();
        clock.reset();
    }

    @Test
    void urgentTaskUnacceptedFor10MinutesGoesToRegistrar() throws Exception {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.bleepRole(SHO, "urgent");
        Tasks.awaitStatus(id, "offered");

        clock.advance(Duration.ofMinutes(9));
        fireDueTimersAndSettle(id);
        assertThat(level(id)).isEqualTo(1);
        // Unread after 2 minutes: each SHO's phone got one text, and nothing rang.
        TaskPhones phones = TaskPhones.of(id).settled(clock.instant());
        shos.forEach(sho -> phones.got(sho, 1, 0));

        clock.advance(Duration.ofMinutes(1));
        List<String> registrars = SWITCHBOARD.holdersOf(REGISTRAR);
        ticker.start();
        awaitLevel(id, 2);
        // The registrars are offered it in the app; their text would come 2 minutes later. The SHOs got nothing more.
        phones.settled(clock.instant()).gotNoTextOrCall(registrars);
        shos.forEach(sho -> phones.got(sho, 1, 0));

        Map<String, Object> escalated = only(id, "TaskEscalated");
        assertThat(escalated).containsEntry("fromLevel", 1).containsEntry("toLevel", 2)
                .containsEntry("reason", "NOT_ACCEPTED_IN_TIME")
                .containsEntry("step", "Medical registrar and nurse in charge");
        assertThat(shos).isNotEmpty();
        assertThat(registrars).isNotEmpty();
        assertThat(escalated.get("tried")).asList().containsExactlyInAnyOrderElementsOf(shos);
        assertThat(offeredTo(id)).containsAll(registrars).containsAll(shos);
        for (String registrar : registrars) {
            Api.as(registrar).get("/api/v1/me/tasks").statusCode(200).body("id", hasItem(id));
        }
        assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered", "TaskEscalated",
                "TaskOffered");
    }

    @Test
    void statTaskUnacceptedFor2MinutesGoesToRegistrarAndNic() {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        String id = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "stat"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        // Stat: every SHO's phone is texted and rung at once.
        TaskPhones phones = TaskPhones.of(id).settled(clock.instant());
        shos.forEach(sho -> phones.got(sho, 1, 1));

        clock.advance(Duration.ofMinutes(2));
        List<String> registrars = SWITCHBOARD.holdersOf(REGISTRAR);
        List<String> nursesInCharge = SWITCHBOARD.holdersOf(NIC_7B);
        awaitLevel(id, 2);

        assertThat(registrars).isNotEmpty();
        assertThat(nursesInCharge).isNotEmpty();
        // The nurse in charge who raised it is never offered it back: she asked for help.
        List<String> otherNurses = nursesInCharge.stream().filter(n -> !n.equals("grace.okafor")).toList();
        assertThat(offeredTo(id)).containsAll(registrars).containsAll(otherNurses).doesNotContain("grace.okafor");
        Map<String, Object> task = SWITCHBOARD.task(id);
        @SuppressWarnings("unchecked")
        Map<String, Object> escalation = (Map<String, Object>) task.get("escalation");
        assertThat(escalation).containsEntry("step", 2).containsEntry("steps", 3)
                .containsEntry("stepName", "Medical registrar and nurse in charge")
                .containsEntry("waitingFor", "ack-timeout");
        // Escalation widens the offer and every phone on it goes off at once again: the SHOs (still offered) a second
        // time, the registrars and the other nurse in charge once; the nurse who raised it gets nothing.
        phones.settled(clock.instant());
        shos.forEach(sho -> phones.got(sho, 2, 2));
        registrars.forEach(registrar -> phones.got(registrar, 1, 1));
        otherNurses.forEach(nurse -> phones.got(nurse, 1, 1));
        phones.gotNoTextOrCall(List.of("grace.okafor"));
    }

    @Test
    void declineEscalatesImmediately() {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        List<String> registrars = SWITCHBOARD.holdersOf(REGISTRAR);
        String id = SWITCHBOARD.bleepRole(SHO, "routine");
        Tasks.awaitStatus(id, "offered");

        for (String sho : shos) {
            Api.as(sho).post("/api/v1/tasks/" + id + "/decline", Map.of("reason", "In resus")).then().statusCode(200);
        }

        // No clock movement: the last decline moved the chain on by itself.
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(task.get("level")).isEqualTo(2);
        assertThat(task.get("status")).isEqualTo("offered");
        assertThat(offeredTo(id)).containsExactlyInAnyOrderElementsOf(registrars);
        assertThat(Tasks.events(task)).endsWith("TaskDeclined", "TaskEscalated", "TaskOffered");
        assertThat(only(id, "TaskEscalated")).containsEntry("reason", "ALL_DECLINED");
        // Routine: the app only, never a text or a call.
        TaskPhones.of(id).settled(clock.instant()).gotNoTextOrCall(shos).gotNoTextOrCall(registrars);
    }

    @Test
    void noHolderAlertsSwitchboardAndContinues() throws Exception {
        assertThat(SWITCHBOARD.holdersOf("Dermatology Registrar")).isEmpty();
        List<String> onSwitchboard = SWITCHBOARD.holdersOf("Switchboard");
        List<String> coordinators = SWITCHBOARD.holdersOf(COORDINATOR);

        String id = SWITCHBOARD.bleepRole("Dermatology Registrar", "urgent");

        Tasks.awaitStatus(id, "offered");
        Map<String, Object> task = SWITCHBOARD.task(id);
        assertThat(Tasks.events(task)).containsExactly("TaskRaised", "SwitchboardAlerted", "TaskEscalated",
                "TaskOffered");
        Map<String, Object> alert = only(id, "SwitchboardAlerted");
        assertThat(alert).containsEntry("reason", "NO_HOLDER").containsEntry("level", 1);
        assertThat(alert.get("target")).isEqualTo(Map.of("type", "ROLE", "id", "derm-reg"));
        assertThat(alert.get("told")).asList().containsExactlyInAnyOrderElementsOf(onSwitchboard);
        assertThat(only(id, "TaskEscalated")).containsEntry("reason", "NO_HOLDER");
        // A bleep has no ward: the default chain's last step is the coordinator (nights) and switchboard.
        // Not back to the operator who sent it (sam.patel) while anyone else on the step can take it.
        List<String> expected = new ArrayList<>(coordinators);
        onSwitchboard.stream().filter(s -> !s.equals("sam.patel")).forEach(expected::add);
        if (expected.isEmpty()) {
            expected.addAll(onSwitchboard);
        }
        assertThat(offeredTo(id)).containsExactlyInAnyOrderElementsOf(expected);
        // Urgent: offered in the app; no text before 2 minutes unread, so no phone has gone off yet.
        TaskPhones.of(id).settled(clock.instant()).gotNoTextOrCall(onSwitchboard).gotNoTextOrCall(coordinators);
        Api.as(expected.get(expected.size() - 1)).get("/api/v1/me/tasks").statusCode(200).body("id", hasItem(id));
    }

    @Test
    void exhaustedChainFailsLoudly() throws Exception {
        List<String> nursesInCharge = SWITCHBOARD.holdersOf(NIC_7B);
        Map<String, Object> request = Patients.cannulaRequest(Map.of("role", "Dermatology Registrar"), "stat");
        String id = WARD_NURSE.post("/api/v1/tasks", request).then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        assertThat(level(id)).isEqualTo(2); // nobody holds the dermatology registrar: straight to the last step
        TaskPhones phones = TaskPhones.of(id).settled(clock.instant());

        clock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> events(id).stream()
                .filter(e -> "TaskOffered".equals(e.get("event"))).count() == 2);
        phones.settled(clock.instant());
        clock.advance(Duration.ofMinutes(2));
        List<String> onSwitchboard = SWITCHBOARD.holdersOf("Switchboard");
        Tasks.awaitStatus(id, "failed");

        assertThat(Tasks.events(SWITCHBOARD.task(id))).endsWith("TaskOffered", "TaskFailed", "SwitchboardAlerted",
                "NurseInChargeAlerted");
        assertThat(only(id, "TaskFailed")).containsEntry("reason", "NOT_ACCEPTED_IN_TIME").containsEntry("level", 2);
        Map<String, Object> switchboard = last(id, "SwitchboardAlerted");
        assertThat(switchboard).containsEntry("reason", "CHAIN_EXHAUSTED");
        assertThat(switchboard.get("told")).asList().containsExactlyInAnyOrderElementsOf(onSwitchboard);
        Map<String, Object> nic = only(id, "NurseInChargeAlerted");
        assertThat(nic).containsEntry("reason", "CHAIN_EXHAUSTED").containsEntry("wardId", "7B");
        assertThat(nursesInCharge).isNotEmpty();
        assertThat(nic.get("told")).asList().containsAll(nursesInCharge);
        assertThat(timerOf(id)).isEmpty();
        SWITCHBOARD.get("/api/v1/tasks?status=failed&ward=7B").statusCode(200).body("id", hasItem(id));
        // Stat: each offer texted and rang each phone on it once, then it failed: alerts go to the app, not the phone.
        phones.settled(clock.instant());
        Map<String, Integer> offers = offersPerPerson(id);
        assertThat(offers).isNotEmpty();
        offers.forEach((person, times) -> phones.got(person, times, times));
        phones.gotNoTextOrCall(onSwitchboard.stream().filter(s -> !offers.containsKey(s)).toList());
    }

    @Test
    void acceptedButNotStartedReTriggers() throws Exception {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        Api owner = Api.as(shos.get(0));
        String id = WARD_NURSE.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        owner.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        assertThat(timerOf(id)).map(Timer::kind).contains("NOT_STARTED");
        List<String> nursesInChargeAtStart = SWITCHBOARD.holdersOf(NIC_7B);

        try (LiveClient phone = LiveClient.connect(port, owner.user())) {
            clock.advance(Duration.ofMinutes(30));
            List<String> nursesInCharge = SWITCHBOARD.holdersOf(NIC_7B);
            await().atMost(Duration.ofSeconds(30)).until(() -> phone.received("TaskOverdue", id));

            Map<String, Object> overdue = only(id, "TaskOverdue");
            assertThat(overdue).containsEntry("overdue", "NOT_STARTED").containsEntry("owner", owner.user());
            assertThat(overdue.get("told")).asList().contains(owner.user()).containsAll(nursesInCharge);
            // Still the owner's, still in their inbox, and flagged on the nurse in charge's view of 7B.
            owner.get("/api/v1/me/tasks").statusCode(200).body("id", hasItem(id));
            Api nic = Api.as(nursesInCharge.get(0));
            List<Map<String, Object>> accepted7B = nic.get("/api/v1/tasks?status=accepted&ward=7B").statusCode(200)
                    .extract().jsonPath().getList("");
            Map<String, Object> shown = accepted7B.stream().filter(t -> id.equals(t.get("id"))).findFirst().orElseThrow();
            assertThat(((Map<?, ?>) shown.get("escalation")).get("overdue")).isEqualTo("not-started");
            assertThat(((Map<?, ?>) shown.get("owner")).get("id")).isEqualTo(owner.user());
        }

        // Accepted before its text was due: the texts were withdrawn, and the overdue reminder is in the app only.
        TaskPhones.of(id).settled(clock.instant()).gotNoTextOrCall(shos).gotNoTextOrCall(nursesInChargeAtStart);

        owner.post("/api/v1/tasks/" + id + "/start").then().statusCode(200);
        Map<String, Object> started = SWITCHBOARD.task(id);
        assertThat(((Map<?, ?>) started.get("escalation")).get("overdue")).isNull();
        assertThat(((Map<?, ?>) started.get("escalation")).get("waitingFor")).isEqualTo("not-completed");
    }

    @Test
    void fyiNeverEscalates() throws Exception {
        List<String> shos = SWITCHBOARD.holdersOf(SHO);
        String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("role", SHO), "callback", "4417",
                "message", "FYI: bed 12 family visiting at 6", "priority", "stat", "fyi", true))
                .then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        assertThat(timerOf(id)).isEmpty();

        clock.advance(Duration.ofHours(1));
        fireDueTimersAndSettle(id);
        assertThat(Tasks.events(SWITCHBOARD.task(id))).containsExactly("TaskRaised", "TaskOffered");
        assertThat(SWITCHBOARD.task(id)).doesNotContainKey("escalation");
        // fyi never interrupts: an hour on, not one text or call, though it was sent as stat.
        TaskPhones.of(id).settled(clock.instant()).gotNoTextOrCall(shos);
    }

    @Test
    void registrarIsOfferedAgainBeforeTheChainMovesOn() {
        List<String> registrars = SWITCHBOARD.holdersOf(REGISTRAR);
        assertThat(registrars).isNotEmpty();
        String id = SWITCHBOARD.bleepRole(REGISTRAR, "asap");
        Tasks.awaitStatus(id, "offered");
        // Asap: in the app and pushed at once; a text after a minute unread, a call after three.
        TaskPhones phones = TaskPhones.of(id).settled(clock.instant()).gotNoTextOrCall(registrars);

        clock.advance(Duration.ofMinutes(3));
        phones.settledPastSmsHolds(clock);
        registrars.forEach(registrar -> phones.got(registrar, 1, 1));

        clock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> events(id).stream()
                .filter(e -> "TaskOffered".equals(e.get("event"))).count() == 2);
        assertThat(level(id)).isEqualTo(1);
        assertThat(last(id, "TaskOffered")).containsEntry("round", 1).containsEntry("level", 1);
        // Offered again: a ladder of its own, so nothing more goes off yet.
        phones.settled(clock.instant());
        registrars.forEach(registrar -> phones.got(registrar, 1, 1));

        // The second offer's text and call, a minute and three minutes on.
        clock.advance(Duration.ofMinutes(3));
        phones.settledPastSmsHolds(clock);
        registrars.forEach(registrar -> phones.got(registrar, 2, 2));

        clock.advance(Duration.ofMinutes(2));
        List<String> onSwitchboard = SWITCHBOARD.holdersOf("Switchboard");
        awaitLevel(id, 2);
        // Switchboard sent it: the other operators are offered it (the sender only if nobody else is on).
        assertThat(onSwitchboard).isNotEmpty();
        List<String> others = onSwitchboard.stream().filter(s -> !s.equals("sam.patel")).toList();
        assertThat(offeredTo(id)).containsAll(others.isEmpty() ? onSwitchboard : others);
        // The chain moved on: everyone on the widened offer has it in the app, their texts a minute away; the
        // registrars' phones got nothing more.
        phones.settled(clock.instant()).gotNoTextOrCall(onSwitchboard);
        registrars.forEach(registrar -> phones.got(registrar, 2, 2));
    }

    @Test
    void twoTickersFireOnce() throws Exception {
        ticker.stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(SWITCHBOARD.bleepRole(SHO, "stat"));
        }
        ids.forEach(id -> Tasks.awaitStatus(id, "offered"));
        clock.advance(Duration.ofMinutes(2));

        TimerTicker first = ticker.newTicker(2);
        TimerTicker second = ticker.newTicker(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (TimerTicker t : List.of(first, second)) {
                runs.add(pool.submit((Callable<Integer>) () -> {
                    go.await();
                    int fired = 0;
                    for (int n = t.tick(); n > 0; n = t.tick()) {
                        fired += n;
                    }
                    return fired;
                }));
            }
            go.countDown();
            int fired = runs.get(0).get() + runs.get(1).get();
            assertThat(fired).isGreaterThanOrEqualTo(ids.size());
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> firings = Broker.readAllCommands().stream()
                .filter(r -> ids.contains(r.key()) && r.value().contains("\"type\":\"EscalationDue\""))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(firings).hasSize(ids.size()).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        for (String id : ids) {
            awaitLevel(id, 2);
            assertThat(events(id).stream().filter(e -> "TaskEscalated".equals(e.get("event")))).hasSize(1);
        }
    }

    @Test
    void timerSurvivesRestart() throws Exception {
        ticker.stop();
        String id = SWITCHBOARD.bleepRole(SHO, "urgent");
        Tasks.awaitStatus(id, "offered");
        Instant raised = clock.instant();
        Timer timer = timerOf(id).orElseThrow();
        assertThat(timer.kind()).isEqualTo("ACK_TIMEOUT");
        assertThat(timer.dueAt()).isBetween(raised.plus(Duration.ofMinutes(9)), raised.plus(Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(10));
        // Due, but nobody is ticking: the row waits in the database.
        Tasks.settle(id, codec);
        assertThat(level(id)).isEqualTo(1);
        assertThat(timerOf(id)).contains(timer);

        ticker.start();
        awaitLevel(id, 2);
        assertThat(timerOf(id)).map(Timer::fence).isNotEqualTo(Optional.of(timer.fence()));
    }

    @Test
    void aTimerThatNoLongerMatchesTheTaskIsIgnored() throws Exception {
        String id = SWITCHBOARD.bleepRole(SHO, "urgent");
        Tasks.awaitStatus(id, "offered");
        Timer first = timerOf(id).orElseThrow();
        clock.advance(Duration.ofMinutes(10));
        awaitLevel(id, 2);
        List<String> before = Tasks.events(SWITCHBOARD.task(id));

        // The first timer firing again (a late duplicate with its own id): its fence is stale.
        EscalationDue stale = new EscalationDue(UUID.randomUUID(), UUID.fromString(id), EscalationDue.ACTOR,
                TimerKind.ACK_TIMEOUT, first.fence());
        Broker.publishCommand(id, codec.command(stale));
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(stale.commandId()));

        assertThat(Tasks.events(SWITCHBOARD.task(id))).isEqualTo(before);
        assertThat(level(id)).isEqualTo(2);
    }

    // --- helpers ---

    /**
     * Stops the live ticker (the test's {@code @AfterEach} starts it again), fires every timer due at the clock's
     * instant in this thread, then waits until the processor has applied everything on task {@code id} so far: what
     * the task shows afterwards is all that moving the clock did to it.
     */
    void fireDueTimersAndSettle(String id) throws Exception {
        ticker.stop();
        TimerTicker now = ticker.newTicker(500);
        while (now.tick() > 0) {
            // another batch
        }
        Tasks.settle(id, codec);
    }

    record Timer(String kind, Instant dueAt, long fence) {
    }

    static Optional<Timer> timerOf(String taskId) throws Exception {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select kind, due_at, fence from timer where task_id = ?")) {
            ps.setObject(1, UUID.fromString(taskId));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Timer(rs.getString(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getLong(3))) : Optional.empty();
            }
        }
    }

    static boolean applied(UUID commandId) throws Exception {
        try (Connection c = PagerlessInfra.connection();
             PreparedStatement ps = c.prepareStatement("select 1 from processed_command where command_id = ?")) {
            ps.setObject(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void awaitLevel(String id, int level) {
        await().atMost(Duration.ofSeconds(30)).until(() -> level(id) == level);
    }

    /** How many times the task was offered to each person, by its TaskOffered events. */
    @SuppressWarnings("unchecked")
    static Map<String, Integer> offersPerPerson(String id) {
        Map<String, Integer> offers = new java.util.HashMap<>();
        events(id).stream().filter(e -> "TaskOffered".equals(e.get("event")))
                .forEach(e -> ((List<String>) ((Map<String, Object>) e.get("detail")).get("offeredTo"))
                        .forEach(p -> offers.merge(p, 1, Integer::sum)));
        return offers;
    }

    static int level(String id) {
        return SWITCHBOARD.get("/api/v1/tasks/" + id).statusCode(200).extract().path("level");
    }

    static List<String> offeredTo(String id) {
        return SWITCHBOARD.get("/api/v1/tasks/" + id).statusCode(200).extract().jsonPath().getList("offeredTo.id");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(String id) {
        return (List<Map<String, Object>>) SWITCHBOARD.task(id).get("timeline");
    }

    /** The detail of the task's one event of this type. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> only(String id, String type) {
        List<Map<String, Object>> matching = events(id).stream().filter(e -> type.equals(e.get("event"))).toList();
        assertThat(matching).as(type).hasSize(1);
        return (Map<String, Object>) matching.get(0).get("detail");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> last(String id, String type) {
        List<Map<String, Object>> matching = events(id).stream().filter(e -> type.equals(e.get("event"))).toList();
        assertThat(matching).as(type).isNotEmpty();
        return (Map<String, Object>) matching.get(matching.size() - 1).get("detail");
    }
}
