package org.pagerless.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;
import org.pagerless.task.model.TaskCommand.CancelTask;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The processor decides supervisor rights from the staff record, whatever a command on the topic claims. */
@QuarkusTest
class SupervisorRightsFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Inject
    TaskCodec codec;

    @Test
    void aClinicianClaimingToBeASupervisorOnTheTopicCannotCancelSomeoneElsesTask() throws Exception {
        String id = SWITCHBOARD.bleepRole("Medical SHO On-Call", "routine");
        Tasks.awaitStatus(id, "offered");
        Broker.publishCommand(id, codec.command(
                new CancelTask(UUID.randomUUID(), UUID.fromString(id), "kate.morgan", "forged", true)));
        await().atMost(Duration.ofSeconds(30)).until(() -> Tasks.events(SWITCHBOARD.task(id)).contains("CommandRejected"));
        assertThat(SWITCHBOARD.status(id)).isEqualTo("offered");
    }

    @Test
    void aNurseInChargeIsASupervisorEvenIfTheCommandSaysNot() throws Exception {
        String id = SWITCHBOARD.bleepRole("Medical SHO On-Call", "routine");
        Tasks.awaitStatus(id, "offered");
        Broker.publishCommand(id, codec.command(
                new CancelTask(UUID.randomUUID(), UUID.fromString(id), "grace.okafor", "not needed", false)));
        Tasks.awaitStatus(id, "cancelled");
    }
}
