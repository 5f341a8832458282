package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.support.Deliveries.phoneOfRecord;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FakePushService.Subscription;
import org.pagerless.support.FakeTwilio.Device;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;

import io.quarkus.test.junit.QuarkusTest;

/** STOP/START are applied once per Twilio MessageSid; a person has at most five live push subscriptions. */
@QuarkusTest
class PhoneHygieneFlowTest extends FlowTest {

    @Test
    void aStopRetriedAfterALaterStartDoesNotTurnTextsOffAgain() {
        Api lucy = Api.as("lucy.ng");
        Device phone = PagerlessInfra.twilio().device(phoneOfRecord("lucy.ng"));
        String stop = "SM" + java.util.UUID.randomUUID().toString().replace("-", "");
        assertThat(phone.reply("STOP", stop)).contains("Reply START");
        assertThat(lucy.get("/api/v1/me/contact").statusCode(200).extract().<Boolean>path("sms")).isFalse();
        assertThat(phone.reply("START", "SM" + java.util.UUID.randomUUID().toString().replace("-", ""))).contains("on again");
        // Twilio retries the STOP webhook: the same answer, nothing changes.
        assertThat(phone.reply("STOP", stop)).contains("Reply START");
        assertThat(lucy.get("/api/v1/me/contact").statusCode(200).extract().<Boolean>path("sms")).isTrue();
    }

    @Test
    void aSixthBrowserRetiresTheOldestSubscription() {
        Api emma = Api.as("emma.stone");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Subscription s = PagerlessInfra.pushService().subscribe();
            ids.add(emma.post("/api/v1/me/push-subscriptions", s.json()).then().statusCode(201).extract().path("id"));
        }
        List<String> live = emma.get("/api/v1/me/push-subscriptions").statusCode(200).extract().jsonPath()
                .getList("findAll { it.retiredAt == null }.id", String.class);
        assertThat(live).hasSize(5).doesNotContain(ids.get(0)).containsAll(ids.subList(1, 6));
        for (String id : live) {
            emma.request().delete("/api/v1/me/push-subscriptions/" + id).then().statusCode(200);
        }
    }
}
