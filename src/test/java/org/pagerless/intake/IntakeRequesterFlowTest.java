package org.pagerless.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;

/** A record on the intake topic may name only an integration allowed there as its requester. */
@QuarkusTest
class IntakeRequesterFlowTest extends FlowTest {

    @Test
    void aRecordRaisedInAPersonsNameIsParkedWithTheReason() throws Exception {
        String asPerson = "as-person-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, asPerson, """
                {"kind":"bleep","requester":"kate.morgan","to":{"role":"Medical SHO On-Call"},"callback":"4417","priority":"stat"}
                """);
        String asAdmin = "as-admin-" + UUID.randomUUID();
        Broker.publish(Topics.INTAKE, asAdmin, """
                {"kind":"bleep","requester":"admin","to":{"role":"Medical SHO On-Call"},"callback":"4417","priority":"stat"}
                """);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var dlq = Broker.readAll(Topics.INTAKE_DLQ);
            for (String key : new String[] {asPerson, asAdmin}) {
                assertThat(dlq.stream().filter(r -> key.equals(r.key())).findFirst()
                        .map(r -> new String(r.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(),
                                StandardCharsets.UTF_8)).orElse(""))
                        .contains("requester").contains("integration allowed on the intake topic");
            }
        });
    }
}
