package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.support.Plans;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The planner asks who a batch of tasks is offered to now ({@link TaskQueries#offeredNow}) for every batch it plans: the
 * tasks are found by their key however many others are offered, also when PostgreSQL's statistics are from a quieter
 * hour. With the status in the condition it read every offered task for each batch (1,162 for 23 in a benchmark
 * round), through the {@code (status, raised_at)} index its statistics made look cheaper.
 */
@QuarkusTest
class OfferedNowTest extends FlowTest {
    static final int TASKS = 2_000;
    static final int ASKED = 20;

    @Test
    void theTasksAreFoundByTheirKeyWhenTheStatisticsSayFewAreOffered() throws Exception {
        String ref = "OFNW" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffff);
        try (Connection c = PagerlessInfra.connection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // Statistics taken while these tasks were finished, then all of them offered: a quiet hour, then a
                // busy one. All in a transaction that is rolled back: no other test or lane ever sees them.
                st.execute("insert into task (id, kind, priority, status, fyi, target_type, target_id, requester, "
                        + "raised_at, updated_at, version, state) select gen_random_uuid(), 'BLEEP', 'urgent', "
                        + "'CANCELLED', false, 'staff', 'nobody.offerednow', '" + ref + "', now(), now(), 1, "
                        + "'{}'::jsonb from generate_series(1, " + TASKS + ")");
                st.execute("analyze task");
                st.execute("update task set status = 'OFFERED', offered_to = '{nobody.offerednow}' where requester = '"
                        + ref + "'");
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select id from task where requester = '" + ref + "' limit "
                        + ASKED)) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                JsonNode plan = Plans.explain(c, TaskQueries.BY_ID_WITH_OFFER,
                        ps -> ps.setArray(1, c.createArrayOf("text", ids.toArray())));
                List<String> indexes = new ArrayList<>();
                indexesUsed(plan.path("Plan"), indexes);
                assertThat(indexes).as("indexes read; plan: %s", plan).containsExactly("task_pkey");
                assertThat(plan.path("Plan").path("Actual Rows").asInt()).as("tasks found; plan: %s", plan)
                        .isEqualTo(ASKED);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static void indexesUsed(JsonNode node, List<String> out) {
        if (node.has("Index Name")) {
            out.add(node.path("Index Name").asText());
        }
        node.path("Plans").forEach(child -> indexesUsed(child, out));
    }
}
