package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Jdbc;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.WaitingAge;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The open-unaccepted gauge's counts, made in PostgreSQL on the bands' cut-offs, are what the bands say of every
 * waiting task's raise time — on each band's edge too, where a task raised exactly 1, 5, 15 or 60 minutes before
 * {@code now} has moved to the next band.
 */
@QuarkusTest
class UnacceptedCountFlowTest extends FlowTest {
    @Inject
    TaskQueries queries;
    @Inject
    Jdbc jdbc;

    @Test
    void aTaskIsCountedInTheBandItsWaitPutsItInOnEachEdgeAndEitherSideOfIt() {
        Api switchboard = Api.as("sam.patel");
        String id = switchboard.bleepRole("Medical SHO On-Call", "stat");
        Tasks.awaitStatus(id, "offered");
        Instant raised = jdbc.queryOne("select raised_at from task where id = ?",
                rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), UUID.fromString(id)).orElseThrow();

        for (Duration edge : List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofHours(1))) {
            for (Duration side : List.of(Duration.ofNanos(-1_000), Duration.ZERO, Duration.ofNanos(1_000))) {
                Instant now = raised.plus(edge).plus(side);
                // Other tests' tasks are counted too: the counts must be the bands of every waiting task's raise time
                // (read again until both reads see the same tasks: the processor may move one in between).
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(queries.waitingForAcceptance(now)).as("at %s", now).isEqualTo(byBands(now)));
                assertThat(queries.waitingForAcceptance(now).get(Priority.STAT).get(WaitingAge.of(raised, now)))
                        .isPositive();
            }
        }
        switchboard.post("/api/v1/tasks/" + id + "/cancel", Map.of("reason", "test over")).then().statusCode(200);
    }

    /** Every open task nobody need accept yet, read one by one, put in its band by {@link WaitingAge#of}. */
    private Map<Priority, Map<WaitingAge, Integer>> byBands(Instant now) {
        Map<Priority, Map<WaitingAge, Integer>> counts = WaitingAge.none();
        jdbc.forEachRow("select priority, raised_at from task where status in ('REQUESTED','OFFERED') and not fyi"
                + " and kind <> 'BROADCAST'", rs -> counts.get(Priority.valueOf(rs.getString(1)))
                .merge(WaitingAge.of(rs.getObject(2, OffsetDateTime.class).toInstant(), now), 1, Integer::sum));
        return counts;
    }
}
