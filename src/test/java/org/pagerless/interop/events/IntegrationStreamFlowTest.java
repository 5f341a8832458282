package org.pagerless.interop.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Patients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * An integrator reads the outbound stream: each task event is one record on pagerless.integration-events.v1 (key the
 * task id), shaped as the published JSON schema says, with no patient data, through the real broker.
 */
@QuarkusTest
class IntegrationStreamFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTasksLifeIsPublishedForIntegratorsAsTheSchemaSaysWithoutThePatient() throws Exception {
        Api ward = Api.as("grace.okafor");
        String id = ward.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent")).then().statusCode(202).extract()
                .jsonPath().getString("id");
        String holder = Api.as("sam.patel").holdersOf(SHO).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "offered".equals(ward.status(id)));
        Api.as(holder).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> types(recordsOf(id)).contains("TaskAccepted"));
        List<ConsumerRecord<String, String>> records = recordsOf(id);
        assertThat(types(records)).containsSubsequence("TaskRaised", "TaskOffered", "TaskAccepted");

        JsonNode schema = JSON.readTree(Files.readString(Path.of("docs/schemas/integration-event.v1.schema.json")));
        Set<String> allowed = names(schema.get("properties").fieldNames());
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(r -> required.add(r.asText()));
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.key()).isEqualTo(id);
            assertThat(r.value()).doesNotContain(Patients.NHS_NUMBER).doesNotContain(Patients.NAME)
                    .doesNotContain("tissued");
            JsonNode node = JSON.readTree(r.value());
            assertThat(names(node.fieldNames())).isSubsetOf(allowed).containsAll(required);
            assertThat(node.get("schema").asText()).isEqualTo(IntegrationEvent.SCHEMA);
            for (Iterator<Map.Entry<String, JsonNode>> f = node.fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                JsonNode enumeration = schema.get("properties").get(field.getKey()).get("enum");
                if (enumeration != null) {
                    assertThat(enumeration.toString()).as(field.getKey()).contains(field.getValue().toString());
                }
            }
        }
        JsonNode accepted = JSON.readTree(records.stream().filter(r -> r.value().contains("\"TaskAccepted\""))
                .findFirst().orElseThrow().value());
        assertThat(accepted.get("owner").asText()).isEqualTo(holder);
        assertThat(accepted.get("status").asText()).isEqualTo("accepted");
        assertThat(accepted.get("fhirStatus").asText()).isEqualTo("accepted");
        assertThat(accepted.get("ward").asText()).isEqualTo("7B");
        assertThat(accepted.get("taskType").asText()).isEqualTo("Cannula");
    }

    /**
     * Task events name their type in a header, and the consumers that skip types by it still read records without one
     * (written before the header existed): a header-less copy of an offer, with a new event id, is planned (a second
     * in-app delivery) and relayed; a copy whose header names a type that offers nothing is not planned (the header
     * decides, the record is not read), shown once the header-less copy behind it on the same partition is planned.
     */
    @Test
    void taskEventsCarryTheirTypeInAHeaderAndRecordsWithoutOneAreStillRead() throws Exception {
        String id = Api.as("grace.okafor").post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", SHO), "urgent"))
                .then().statusCode(202).extract().jsonPath().getString("id");
        String holder = Api.as("sam.patel").holdersOf(SHO).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> inApp(holder, id).size() == 1);
        List<ConsumerRecord<String, String>> events = Broker.readAll(Topics.TASK_EVENTS).stream()
                .filter(r -> id.equals(r.key())).toList();
        assertThat(events).isNotEmpty();
        for (ConsumerRecord<String, String> r : events) {
            assertThat(new String(r.headers().lastHeader(Topics.EVENT_TYPE_HEADER).value(),
                    java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(JSON.readTree(r.value()).get("type").asText());
        }
        String offer = events.stream().filter(r -> r.value().startsWith("{\"type\":\"TaskOffered\""))
                .findFirst().orElseThrow().value();
        String eventId = JSON.readTree(offer).get("event").get("eventId").asText();
        java.time.Instant offeredAt = java.time.Instant.parse(JSON.readTree(offer).get("event").get("at").asText());

        String lying = java.util.UUID.randomUUID().toString();
        Broker.publish(Topics.TASK_EVENTS, id, offer.replace(eventId, lying),
                Map.of(Topics.EVENT_TYPE_HEADER, "TaskRaised"));
        String old = java.util.UUID.randomUUID().toString();
        Broker.publish(Topics.TASK_EVENTS, id, offer.replace(eventId, old));

        // Same key, same partition: the planner reads the lying copy before the header-less one.
        await().atMost(Duration.ofSeconds(30)).until(() -> inApp(holder, id).contains(inAppId(old, offeredAt, holder)));
        assertThat(inApp(holder, id)).as("the offer whose header says TaskRaised is not planned")
                .doesNotContain(inAppId(lying, offeredAt, holder)).hasSize(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(id).stream().anyMatch(r -> r.value().contains(old)));
        JsonNode relayed = JSON.readTree(recordsOf(id).stream().filter(r -> r.value().contains(old)).findFirst()
                .orElseThrow().value());
        assertThat(relayed.get("type").asText()).isEqualTo("TaskOffered");
        assertThat(relayed.get("taskId").asText()).isEqualTo(id);
        assertThat(relayed.get("at").asText()).isEqualTo(JSON.readTree(offer).get("event").get("at").asText());
    }

    /** The ids of {@code staffId}'s in-app deliveries of the task. */
    private static List<String> inApp(String staffId, String taskId) {
        List<Map<String, Object>> all = Api.as(staffId).get("/api/v1/me/deliveries?limit=200").statusCode(200).extract()
                .jsonPath().getList("");
        return all.stream().filter(d -> taskId.equals(d.get("taskId")) && "in-app".equals(d.get("channel")))
                .map(d -> (String) d.get("id")).toList();
    }

    /** The in-app delivery the planner makes for an offer event and one person (ids derive from both and its time). */
    private static String inAppId(String eventId, java.time.Instant at, String staffId) {
        return org.pagerless.platform.Ids.timeOrdered(at, org.pagerless.delivery.Notification.idFor(
                java.util.UUID.fromString(eventId), staffId) + "/in-app").toString();
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String taskId) {
        return Broker.readAll(Topics.INTEGRATION_EVENTS).stream().filter(r -> taskId.equals(r.key())).toList();
    }

    private static List<String> types(List<ConsumerRecord<String, String>> records) throws Exception {
        List<String> types = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            types.add(JSON.readTree(r.value()).get("type").asText());
        }
        return types;
    }

    private static Set<String> names(Iterator<String> names) {
        Set<String> out = new TreeSet<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
