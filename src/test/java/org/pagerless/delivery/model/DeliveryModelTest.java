package org.pagerless.delivery.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.delivery.model.DeliveryStatus.DELIVERED;
import static org.pagerless.delivery.model.DeliveryStatus.FAILED;
import static org.pagerless.delivery.model.DeliveryStatus.PENDING;
import static org.pagerless.delivery.model.DeliveryStatus.QUEUED;
import static org.pagerless.delivery.model.DeliveryStatus.READ;
import static org.pagerless.delivery.model.DeliveryStatus.SENDING;
import static org.pagerless.delivery.model.DeliveryStatus.SENT;
import static org.pagerless.delivery.model.DeliveryStatus.WITHDRAWN;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class DeliveryModelTest {

    @Test
    void aDeliveryOnlyMovesForwardSoLateCallbacksChangeNothing() {
        assertThat(QUEUED.canMoveTo(SENT)).isTrue();
        assertThat(SENT.canMoveTo(DELIVERED)).isTrue();
        assertThat(DELIVERED.canMoveTo(SENT)).isFalse();
        assertThat(DELIVERED.canMoveTo(QUEUED)).isFalse();
        assertThat(DELIVERED.canMoveTo(FAILED)).isFalse();
        assertThat(SENT.canMoveTo(FAILED)).isTrue();
        assertThat(READ.canMoveTo(DELIVERED)).isFalse();
        assertThat(SENDING.canMoveTo(PENDING)).isTrue();
        assertThat(QUEUED.canMoveTo(PENDING)).isFalse();
        assertThat(PENDING.canMoveTo(WITHDRAWN)).isTrue();
        assertThat(QUEUED.canMoveTo(WITHDRAWN)).isFalse();
        assertThat(WITHDRAWN.canMoveTo(SENT)).isFalse();
    }

    @Test
    void twilioStatusesMapOntoOurs() {
        assertThat(DeliveryStatus.fromTwilio("sending")).contains(QUEUED);
        assertThat(DeliveryStatus.fromTwilio("undelivered")).contains(FAILED);
        assertThat(DeliveryStatus.fromTwilio("delivered")).contains(DELIVERED);
        assertThat(DeliveryStatus.fromTwilio("receiving")).isEmpty();
    }

    @Test
    void repliesAreReadForgivingly() {
        assertThat(SmsReply.parse(" 1 ")).isEqualTo(new SmsReply.Answer(null, SmsReply.Action.ACCEPT));
        assertThat(SmsReply.parse("3f2a9c 2")).isEqualTo(new SmsReply.Answer("3F2A9C", SmsReply.Action.DECLINE));
        assertThat(SmsReply.parse("3")).isEqualTo(new SmsReply.Answer(null, SmsReply.Action.PASS_UP));
        assertThat(SmsReply.parse("stop")).isInstanceOf(SmsReply.Stop.class);
        assertThat(SmsReply.parse("Start")).isInstanceOf(SmsReply.Start.class);
        assertThat(SmsReply.parse("yes ok")).isInstanceOf(SmsReply.Unknown.class);
        assertThat(SmsReply.parse("4")).isInstanceOf(SmsReply.Unknown.class);
        assertThat(SmsReply.parse(null)).isInstanceOf(SmsReply.Unknown.class);
    }

    @Test
    void pageTextSaysPriorityWardReferenceAndHowToActOnly() {
        String text = PageText.sms("urgent", false, "TASK", "7B", "3F2A9C");
        assertThat(text).isEqualTo("URGENT task, Ward 7B, ref 3F2A9C. Reply 1 accept, 2 decline, 3 pass up. "
                + "Details in the Pagerless app.");
        assertThat(PageText.sms("routine", true, "BLEEP", null, "ABCDEF")).isEqualTo("FYI bleep, ref ABCDEF. "
                + "Details in the Pagerless app.");
        assertThat(PageText.sms("stat", false, "BROADCAST", null, "ABC123"))
                .isEqualTo("STAT broadcast, ref ABC123. Acknowledge in the Pagerless app now.");
        assertThat(PageText.ref(UUID.fromString("3f2a9c00-0000-0000-0000-000000000000"))).isEqualTo("3F2A9C");
    }

    @Test
    void aBleepsTextCarriesItsCallbackAsAPagerShowedIt() {
        assertThat(PageText.sms("stat", false, "BLEEP", null, "0A1B2C", "2222")).isEqualTo("STAT bleep, call 2222, "
                + "ref 0A1B2C. Reply 1 accept, 2 decline, 3 pass up. Details in the Pagerless app.");
        assertThat(PageText.push("stat", false, "BLEEP", null, "0A1B2C", " 4417 "))
                .isEqualTo("STAT bleep, call 4417, ref 0A1B2C \u2014 open Pagerless");
        assertThat(PageText.bundle(List.of(new PageText.Line("stat", false, "BLEEP", null, "0A1B2C", "2222"),
                new PageText.Line("urgent", false, "TASK", "7B", "3F2A9C"))))
                .startsWith("2 Pagerless pages: STAT bleep call 2222 ref 0A1B2C; URGENT task Ward 7B ref 3F2A9C.");
        assertThat(PageText.sms("urgent", false, "TASK", "7B", "3F2A9C", null))
                .isEqualTo(PageText.sms("urgent", false, "TASK", "7B", "3F2A9C"));
    }

    @Test
    void aNewMessageSaysWhereNeverWhat() {
        assertThat(PageText.message("Ward 7B team", false)).isEqualTo("New message in Ward 7B team");
        assertThat(PageText.message("Ward 7B team", true)).isEqualTo("You were mentioned in Ward 7B team");
        UUID conversation = UUID.fromString("3f2a9c00-0000-4000-8000-000000000009");
        MessagePush push = MessagePush.of(UUID.randomUUID(), UUID.randomUUID(), conversation, "Ward 7B team", false);
        assertThat(push.text()).isEqualTo("New message in Ward 7B team");
        assertThat(push.tag()).isEqualTo("conversation-" + conversation);
        assertThat(push.topic()).isEqualTo("3f2a9c00000040008000000000000009");
        assertThat(push.urgency()).isEqualTo("normal");
    }

    @Test
    void laddersParseFromConfig() {
        Ladder ladder = Ladder.parse("in-app@0s, sms@2m");
        assertThat(ladder.steps()).containsExactly(new Ladder.Step(Channel.IN_APP, Duration.ZERO),
                new Ladder.Step(Channel.SMS, Duration.ofMinutes(2)));
    }
}
