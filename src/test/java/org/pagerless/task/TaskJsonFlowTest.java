package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The application's object mapper writes a task flat, as {@link TaskJson} says (the model's parts are not its JSON):
 * the state stored for a bleep raised through the API has the fields it has always had and no others (jsonb keeps no
 * order; {@link TaskJsonTest} checks the text byte for byte).
 */
@QuarkusTest
class TaskJsonFlowTest extends FlowTest {
    private static final List<String> FIELDS = List.of("id", "kind", "priority", "fyi", "status", "target", "details",
            "requester", "raisedAt", "level", "offeredTo", "declinedBy", "owner", "acceptedAt", "updatedAt", "version",
            "policy", "round", "timer", "overdue", "acknowledged", "alertedAt", "handoverNote");

    @Inject
    DataSource db;

    @Inject
    ObjectMapper json;

    @Test
    void aRaisedBleepIsStoredWithTheFlatFieldsItAlwaysHad() throws Exception {
        Api switchboard = Api.as("sam.patel");
        String id = switchboard.bleepRole("Medical Registrar On-Call", "urgent");

        JsonNode stored = await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(UUID.fromString(id)),
                s -> s != null && s.path("status").asText().equals("OFFERED"));
        String state = json.writeValueAsString(stored);
        List<String> fields = new ArrayList<>();
        for (Iterator<String> names = stored.fieldNames(); names.hasNext();) {
            fields.add(names.next());
        }
        assertThat(fields).containsExactlyInAnyOrderElementsOf(FIELDS);
        assertThat(stored.get("offeredTo").isArray()).isTrue();
        assertThat(stored.get("offeredTo")).isNotEmpty();
        assertThat(stored.get("level").asInt()).isEqualTo(1);

        // Read back through the application's mapper into the model's parts, and written again the same.
        assertThat(json.readTree(json.writeValueAsString(json.readValue(state, org.pagerless.task.model.Task.class))))
                .isEqualTo(stored);
    }

    private JsonNode stateOf(UUID id) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select state::text from task where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? json.readTree(rs.getString(1)) : null;
            }
        }
    }
}
