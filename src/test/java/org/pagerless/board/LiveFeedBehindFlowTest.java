package org.pagerless.board;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Patients;
import org.pagerless.support.Tasks;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A live feed whose app stops reading (a phone in a lift, a frozen tab) while the ward keeps raising tasks: the server
 * does not buffer for it without end, nor drop a message and carry on. It closes that feed with 1013 once more than
 * {@code pagerless.live.max-unwritten} messages wait, so the app reconnects and reloads; what the app did receive is
 * every task event up to that point in order, none missing between. Another feed of the same person that reads gets
 * every event.
 */
@QuarkusTest
class LiveFeedBehindFlowTest extends FlowTest {
    private static final String SUPERVISOR = "ian.ross"; // a coordinator: every task event reaches their feeds
    private static final Pattern EVENT = Pattern.compile("^\\{\"type\":\"(Task[A-Za-z]+)\",\"event\":\\{[^}]*?\"taskId\":\"([0-9a-f-]{36})\"");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aFeedThatStopsReadingIsClosedForAReloadAfterAnUnbrokenRunOfEvents() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StalledFeed stalled = new StalledFeed(port, SUPERVISOR);
        LiveClient reading = LiveClient.connect(port, SUPERVISOR);
        try (KafkaProducer<String, String> intake = producer()) {
            double behindBefore = behind();
            // Tasks with a long SBAR (each offer carries the whole task), raised through the intake topic as an
            // integration engine would, until the server says this feed fell behind. Bounded: a server that buffers
            // for ever never says so, and the test fails.
            int raised = 0;
            while (behind() <= behindBefore) {
                assertThat(raised).as("tasks raised without the stalled feed being closed").isLessThan(3000);
                for (int i = 0; i < 50; i++) {
                    intake.send(new ProducerRecord<>(Topics.INTAKE, null, task(run + "-" + raised++)));
                }
                intake.flush();
                int upTo = raised;
                await().atMost(Duration.ofSeconds(60)).until(() -> tasksOfRun(reading.messages(), run) >= upTo
                        || behind() > behindBefore);
            }

            // The reading feed has every raised task's offer (a barrier: the events behind the close went out).
            int all = raised;
            await().atMost(Duration.ofSeconds(60)).until(() -> tasksOfRun(reading.messages(), run) >= all);

            // The app reads again: it gets what was written before the close, then the close telling it to reload.
            stalled.readOn();
            CloseSeen closed = stalled.closed.get(60, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(1013);

            // What it got is the reading feed's run of events from the start, in the same order, none missing.
            List<String> got = events(stalled.messages, run);
            List<String> every = events(reading.messages(), run);
            assertThat(got).isNotEmpty();
            assertThat(every.subList(0, got.size())).isEqualTo(got);
            assertThat(every.size()).isGreaterThan(got.size());

            String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(scrape).contains("pagerless_live_messages_total{outcome=\"sent\"}")
                    .doesNotContain(Patients.NHS_NUMBER).doesNotContain(Patients.NAME);
        } finally {
            reading.close();
            cancelTheRun(reading.messages(), run);
        }
    }

    /**
     * Cancels every task this run raised (hundreds, open on 7B) and waits until each is cancelled, so the wards' lists
     * that later tests read (capped, most urgent first) are as they were.
     */
    private static void cancelTheRun(List<String> messages, String run) {
        List<String> ids = events(messages, run).stream().filter(e -> e.startsWith("TaskOffered "))
                .map(e -> e.substring("TaskOffered ".length())).distinct().toList();
        Api coordinator = Api.as(SUPERVISOR);
        ids.forEach(id -> coordinator.post("/api/v1/tasks/" + id + "/cancel").then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 202)));
        ids.forEach(id -> Tasks.awaitStatus(id, "cancelled"));
    }

    /** The task events about this run's tasks, as "type taskId", in the order they came. */
    private static List<String> events(List<String> messages, String run) {
        List<String> events = new ArrayList<>();
        for (String message : messages) {
            if (!message.contains("run " + run + "-")) {
                continue;
            }
            Matcher m = EVENT.matcher(message);
            if (m.find()) {
                events.add(m.group(1) + " " + m.group(2));
            }
        }
        return events;
    }

    private static long tasksOfRun(List<String> messages, String run) {
        return messages.stream().filter(m -> m.startsWith("{\"type\":\"TaskOffered\"") && m.contains("run " + run + "-"))
                .count();
    }

    private static String task(String key) {
        String sbar = "S: run " + key + ". " + "B: ".repeat(1) + "x".repeat(1900);
        return """
                {"kind":"task","requester":"epr","idempotencyKey":"live-behind-%s","to":{"person":"kai.lewis"},
                 "patient":{"nhsNumber":"%s","name":"%s"},"location":{"ward":"7B","bed":"3"},"type":"Bloods",
                 "detail":"%s","priority":"routine"}
                """.formatted(key, Patients.NHS_NUMBER, Patients.NAME, sbar);
    }

    private static double behind() {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^pagerless_live_messages_total\\{outcome=\"behind\"\\} ([0-9.eE+]+)").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PagerlessInfra.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private record CloseSeen(int code, String reason) {
    }

    /** An app's feed that reads nothing from its socket until told to: a client not keeping up. */
    private static final class StalledFeed implements WebSocket.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<CloseSeen> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;
        private volatile boolean reading;

        StalledFeed(int port, String user) throws Exception {
            String auth = Base64.getEncoder().encodeToString((user + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));
            socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Basic " + auth)
                    .buildAsync(URI.create("ws://localhost:" + port + "/api/v1/live"), this).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // No request: nothing is read from the socket until readOn.
        }

        void readOn() {
            reading = true;
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new CloseSeen(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
