package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.support.Api;
import org.pagerless.support.Conversations;
import org.pagerless.support.FlowTest;
import org.pagerless.support.LiveClient;
import org.pagerless.support.Patients;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A task thread's message carries the patient's context: each delivery of it over the live feed is audited as a read
 * of the task's patient, one row per recipient, like the task's own live events.
 */
@QuarkusTest
class ThreadLiveAuditFlowTest extends FlowTest {
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final Api ADMIN = Api.as("admin");

    @TestHTTPResource("/")
    java.net.URL base;

    @Test
    void eachLiveDeliveryOfATaskThreadMessageIsAuditedForItsRecipient() throws Exception {
        String doctor = SWITCHBOARD.holdersOf("Medical SHO On-Call").get(0);
        try (LiveClient requesterApp = LiveClient.connect(base.getPort(), SWITCHBOARD.user());
             LiveClient doctorApp = LiveClient.connect(base.getPort(), doctor)) {
            String id = SWITCHBOARD.post("/api/v1/tasks", Patients.cannulaRequest(Map.of("role", "Medical SHO On-Call"),
                    "urgent")).then().statusCode(202).extract().path("id");
            // Barrier: both apps have the task's own events and its first thread line before counting.
            await().atMost(Duration.ofSeconds(30)).until(() -> requesterApp.received("TaskOffered", id)
                    && doctorApp.received("TaskOffered", id)
                    && requesterApp.received("MessagePosted", id) && doctorApp.received("MessagePosted", id));
            long requesterBefore = liveReads(id, SWITCHBOARD.user());
            long doctorBefore = liveReads(id, doctor);

            String message = Conversations.post(SWITCHBOARD, id, "K+ 6.1 for " + Patients.NAME + ", please review");
            await().atMost(Duration.ofSeconds(30)).until(() -> requesterApp.received("MessagePosted", message)
                    && doctorApp.received("MessagePosted", message));

            // Nothing else happened to the task: the new live rows are the message's deliveries, one per app.
            assertThat(liveReads(id, SWITCHBOARD.user())).isGreaterThanOrEqualTo(requesterBefore + 1);
            assertThat(liveReads(id, doctor)).isGreaterThanOrEqualTo(doctorBefore + 1);
            List<String> numbers = ADMIN.request().queryParam("task", id).queryParam("staff", doctor)
                    .get("/api/v1/audit/patient-reads").then().statusCode(200).extract().path("nhsNumber");
            assertThat(numbers).isNotEmpty().allMatch(Patients.NHS_NUMBER::equals);
        }
    }

    /** How many live-feed reads of the task's patient by {@code staffId} are audited. */
    private static long liveReads(String taskId, String staffId) {
        List<String> channels = ADMIN.request().queryParam("task", taskId).queryParam("staff", staffId)
                .get("/api/v1/audit/patient-reads").then().statusCode(200).extract().path("channel");
        return channels.stream().filter(PatientReadAudit.LIVE_FEED::equals).count();
    }
}
