package org.pagerless.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagerless.escalation.model.Handover;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.TaskPhones;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;
import org.pagerless.task.TaskCodec;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Shift change: the tasks of whoever goes off are offered to whoever comes on, found from the rota by the handover
 * detector (ADR 0010); and open tasks whose owner has gone off duty are reported.
 *
 * <p>The scenarios put the night and the day doctor on the Dermatology Registrar role (which the demo rota leaves
 * empty) by rota overrides, with the night ending a couple of minutes from now, then move the shared clock just past
 * it: moving it to the next 08:00 itself could mean a day's jump, firing every other test's timers and the demo
 * rota's own handovers. The note's "shift ended HH:MM" is therefore that instant's London time.
 */
@QuarkusTest
class HandoverFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api NURSE_IN_CHARGE = Api.as("grace.okafor");
    static final Api ADMIN = Api.as("admin");
    static final List<String> SHO_POOL = List.of("amira.khan", "dan.wright", "sofia.rossi", "liam.murphy",
            "zara.ahmed", "noah.green");
    static final String ROLE = "Dermatology Registrar";
    static final String ROLE_ID = "derm-reg";
    static final Api NIGHT = Api.as("tom.reid");
    static final Api DAY = Api.as("ella.hughes");

    @Inject
    TestClock clock;
    @Inject
    HandoverDetector detector;
    @Inject
    TaskCodec codec;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final List<String> created = new ArrayList<>();

    /**
     * Checks once at the clock as it is now (an earlier test may have moved the shared clock forward and back, leaving
     * a watermark in the future), then runs the detector, which the test profile leaves off for other tests.
     */
    @BeforeEach
    void detectorOnFromNow() throws Exception {
        detector.newCheck().check();
        detector.start();
    }

    @AfterEach
    void backToTheRotaAsItWas() {
        created.forEach(path -> ADMIN.request().delete(path));
        created.clear();
        clock.reset();
        detector.stop();
    }

    @Test
    void nightShiftHandoverAt0800MovesOpenTasks() throws Exception {
        Instant shiftEnds = nightUntil(true);
        String owned = acceptedByNight();
        String offered = SWITCHBOARD.bleepRole(ROLE, "routine");
        Tasks.awaitStatus(offered, "offered");
        NIGHT.post("/api/v1/tasks/" + owned + "/handover-note", Map.of("note", "Called back once, no answer"))
                .then().statusCode(200).body("handoverNote.text", org.hamcrest.Matchers.equalTo("Called back once, no answer"));

        try (LiveClient night = LiveClient.connect(port, NIGHT.user());
             LiveClient day = LiveClient.connect(port, DAY.user())) {
            passShiftEnd(shiftEnds);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(offeredTo(owned)).containsExactly(DAY.user());
                assertThat(offeredTo(offered)).containsExactly(DAY.user());
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> day.received("TaskHandedOver", owned)
                    && day.received("TaskHandedOver", offered) && night.received("TaskHandedOver", owned)
                    && night.received("TaskHandedOver", offered));
        }
        Map<String, Object> handedOver = only(owned, "TaskHandedOver");
        assertThat(handedOver).containsEntry("fromStaff", NIGHT.user()).containsEntry("role", ROLE_ID)
                .containsEntry("note", "Called back once, no answer").containsEntry("shiftEnded", shiftEnds.toString());
        assertThat(handedOver.get("toStaff")).asList().containsExactly(DAY.user());
        assertThat(only(offered, "TaskHandedOver"))
                .containsEntry("note", Handover.note(shiftEnds, "Dr Tom Reid"));
        assertThat(SWITCHBOARD.status(owned)).isEqualTo("offered");
        assertThat(SWITCHBOARD.task(owned).get("owner")).isNull();

        NIGHT.get("/api/v1/me/tasks").statusCode(200).body("id", not(hasItem(owned))).body("id", not(hasItem(offered)));
        DAY.get("/api/v1/me/tasks").statusCode(200).body("id", hasItem(owned)).body("id", hasItem(offered));
        NURSE_IN_CHARGE.get("/api/v1/handover/orphans").statusCode(200)
                .body("id", not(hasItem(owned))).body("id", not(hasItem(offered)));
        // The offer waits a full step for the day doctor: its timer was armed again at the handover.
        assertThat(EscalationFlowTest.timerOf(owned)).hasValueSatisfying(t -> {
            assertThat(t.kind()).isEqualTo("ACK_TIMEOUT");
            assertThat(t.dueAt()).isAfter(shiftEnds.plus(Duration.ofMinutes(29)));
        });
        // Routine: the handover reached the day doctor in the app; neither doctor's phone was texted or rung.
        for (String id : List.of(owned, offered)) {
            TaskPhones.of(id).settled(clock.instant()).gotNoTextOrCall(List.of(NIGHT.user(), DAY.user()));
        }
        DAY.post("/api/v1/tasks/" + owned + "/accept").then().statusCode(200);
    }

    @Test
    void aHandoverToAnUncoveredRoleAlertsSwitchboard() {
        Instant shiftEnds = nightUntil(false);
        String owned = acceptedByNight();

        passShiftEnd(shiftEnds);

        await().atMost(Duration.ofSeconds(30)).until(() -> Tasks.events(SWITCHBOARD.task(owned))
                .contains("SwitchboardAlerted"));
        Map<String, Object> alert = EscalationFlowTest.events(owned).stream()
                .filter(e -> "SwitchboardAlerted".equals(e.get("event"))).map(e -> detail(e)).findFirst().orElseThrow();
        assertThat(alert).containsEntry("reason", "NO_HOLDER").containsEntry("actor", "handover");
        assertThat(alert.get("target")).isEqualTo(Map.of("type", "ROLE", "id", ROLE_ID));
        assertThat(Tasks.events(SWITCHBOARD.task(owned))).doesNotContain("TaskHandedOver").contains("TaskEscalated");
        // Never dropped: the chain moved on at once, and the task waits on switchboard's queue of alerts.
        assertThat(SWITCHBOARD.status(owned)).isEqualTo("offered");
        assertThat(offeredTo(owned)).isNotEmpty().doesNotContain(NIGHT.user());
        SWITCHBOARD.get("/api/v1/board/alerts").statusCode(200).body("task.id", hasItem(owned));
        NIGHT.get("/api/v1/me/tasks").statusCode(200).body("id", not(hasItem(owned)));
        List<String> involved = new ArrayList<>(offeredTo(owned));
        involved.add(NIGHT.user());
        TaskPhones.of(owned).settled(clock.instant()).gotNoTextOrCall(involved);
        SWITCHBOARD.post("/api/v1/tasks/" + owned + "/cancel", Map.of("reason", "handover test")).then().statusCode(200);
    }

    @Test
    void completedTasksAreNotMoved() {
        Instant shiftEnds = nightUntil(true);
        String done = acceptedByNight();
        NIGHT.post("/api/v1/tasks/" + done + "/complete", Map.of("note", "Spoke to ward")).then().statusCode(200);
        String open = acceptedByNight();

        passShiftEnd(shiftEnds);

        await().atMost(Duration.ofSeconds(30)).until(() -> offeredTo(open).equals(List.of(DAY.user())));
        assertThat(Tasks.events(SWITCHBOARD.task(done))).doesNotContain("TaskHandedOver");
        assertThat(SWITCHBOARD.status(done)).isEqualTo("completed");
    }

    @Test
    void aHandoverDueWhileTheDetectorWasStoppedHappensWhenItStarts() throws Exception {
        detector.stop();
        Instant shiftEnds = nightUntil(true);
        String owned = acceptedByNight();

        passShiftEnd(shiftEnds);
        // Due, but nobody is checking: the watermark waits in the database, and the task is still the night's.
        Tasks.settle(owned, codec);
        assertThat(SWITCHBOARD.status(owned)).isEqualTo("accepted");

        detector.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> offeredTo(owned).equals(List.of(DAY.user())));
        assertThat(only(owned, "TaskHandedOver")).containsEntry("fromStaff", NIGHT.user());
    }

    @Test
    void twoDetectorsHandOverOnce() throws Exception {
        detector.stop();
        Instant shiftEnds = nightUntil(true);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(i % 2 == 0 ? acceptedByNight() : SWITCHBOARD.bleepRole(ROLE, "routine"));
        }
        Tasks.awaitStatus(ids.get(1), "offered");
        Tasks.awaitStatus(ids.get(3), "offered");
        passShiftEnd(shiftEnds);

        HandoverCheck first = detector.newCheck();
        HandoverCheck second = detector.newCheck();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (HandoverCheck check : List.of(first, second)) {
                runs.add(pool.submit((Callable<Integer>) () -> {
                    go.await();
                    return check.check();
                }));
            }
            go.countDown();
            // At least these four (a task an earlier test left with the night doctor goes too).
            assertThat(runs.get(0).get() + runs.get(1).get()).isGreaterThanOrEqualTo(ids.size());
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> handovers = Broker.readAllCommands().stream()
                .filter(r -> ids.contains(r.key()) && r.value().contains("\"type\":\"HandOverTask\""))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(handovers).hasSize(ids.size()).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(30)).until(() -> offeredTo(id).equals(List.of(DAY.user())));
            assertThat(Tasks.events(SWITCHBOARD.task(id)).stream().filter("TaskHandedOver"::equals)).hasSize(1);
        }
    }

    @Test
    void aTaskOwnedBySomeoneOffDutyIsAnOrphanAndOneOwnedBySomeoneOnDutyIsNot() {
        List<String> onDuty = SWITCHBOARD.holdersOf("Medical SHO On-Call");
        String offDuty = SHO_POOL.stream().filter(s -> !onDuty.contains(s)).findFirst().orElseThrow();

        String orphan = bleepAndAccept(offDuty);
        String covered = bleepAndAccept(onDuty.get(0));

        NURSE_IN_CHARGE.get("/api/v1/handover/orphans").statusCode(200)
                .body("id", hasItem(orphan)).body("id", not(hasItem(covered)));
        Api.as(offDuty).get("/api/v1/handover/orphans").statusCode(403);

        Api.as(offDuty).post("/api/v1/tasks/" + orphan + "/complete", Map.of("note", "Done before leaving"))
                .then().statusCode(200);
        NURSE_IN_CHARGE.get("/api/v1/handover/orphans").statusCode(200).body("id", not(hasItem(orphan)));
    }

    /**
     * The night doctor holds the role from an hour ago until a couple of minutes from now; then the day doctor
     * (if {@code dayFollows}) for twelve hours, else nobody. Returns when the night ends.
     */
    private Instant nightUntil(boolean dayFollows) {
        Instant now = clock.instant();
        Instant shiftEnds = now.plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
        override(NIGHT.user(), now.minus(Duration.ofHours(1)), shiftEnds);
        if (dayFollows) {
            override(DAY.user(), shiftEnds, shiftEnds.plus(Duration.ofHours(12)));
        }
        assertThat(SWITCHBOARD.holdersOf(ROLE)).containsExactly(NIGHT.user());
        return shiftEnds;
    }

    private void override(String staffId, Instant from, Instant to) {
        long id = ADMIN.post("/api/v1/rota/overrides", Map.of("roleId", ROLE_ID, "kind", "add", "staffId", staffId,
                "from", from.toString(), "to", to.toString(), "reason", "handover test"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        created.add("/api/v1/rota/overrides/" + id);
    }

    /** Just past the end of the night, by more than the detector's settle time. */
    private void passShiftEnd(Instant shiftEnds) {
        clock.advance(Duration.between(clock.instant(), shiftEnds).plusSeconds(10));
    }

    private static List<String> offeredTo(String id) {
        return SWITCHBOARD.get("/api/v1/tasks/" + id).statusCode(200).extract().jsonPath().getList("offeredTo.id");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("detail");
    }

    private static Map<String, Object> only(String id, String type) {
        return EscalationFlowTest.only(id, type);
    }

    /** A routine bleep to the role, accepted by the night doctor. */
    private static String acceptedByNight() {
        String id = SWITCHBOARD.bleepRole(ROLE, "routine");
        Tasks.awaitStatus(id, "offered");
        NIGHT.post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        return id;
    }

    private static String bleepAndAccept(String person) {
        String id = SWITCHBOARD.post("/api/v1/bleeps", Map.of("to", Map.of("person", person), "callback", "4417",
                "priority", "routine")).then().statusCode(202).extract().path("id");
        Tasks.awaitStatus(id, "offered");
        Api.as(person).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        return id;
    }
}
