package org.pagerless.delivery.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class PushMessageTest {
    static final UUID DELIVERY = UUID.fromString("3f2a9c00-0000-4000-8000-000000000001");
    static final UUID NOTIFICATION = UUID.fromString("3f2a9c00-0000-4000-8000-000000000002");

    @Test
    void theLockScreenLineNamesPriorityKindWardAndReferenceOnly() {
        PushMessage m = PushMessage.of(DELIVERY, NOTIFICATION, "urgent", false, "TASK", "7B", "3F2A9C");
        assertThat(m.text()).isEqualTo("URGENT task, Ward 7B, ref 3F2A9C \u2014 open Pagerless");
        assertThat(m.kind()).isEqualTo("task");
        assertThat(PushMessage.of(DELIVERY, NOTIFICATION, "routine", true, "BLEEP", null, "ABC123").text())
                .isEqualTo("FYI bleep, ref ABC123 \u2014 open Pagerless");
    }

    @Test
    void timeCriticalPagesAskThePushServiceForHighUrgencyAndFyiForLow() {
        assertThat(PushMessage.of(DELIVERY, NOTIFICATION, "stat", false, "TASK", "7B", "R").urgency()).isEqualTo("high");
        assertThat(PushMessage.of(DELIVERY, NOTIFICATION, "asap", false, "TASK", "7B", "R").urgency()).isEqualTo("high");
        assertThat(PushMessage.of(DELIVERY, NOTIFICATION, "urgent", false, "TASK", "7B", "R").urgency()).isEqualTo("high");
        assertThat(PushMessage.of(DELIVERY, NOTIFICATION, "routine", false, "TASK", "7B", "R").urgency()).isEqualTo("normal");
        assertThat(PushMessage.of(DELIVERY, NOTIFICATION, "stat", true, "TASK", "7B", "R").urgency()).isEqualTo("low");
    }

    @Test
    void theTopicIsTheNotificationSoARetryReplacesAnUndeliveredPush() {
        PushMessage m = PushMessage.of(DELIVERY, NOTIFICATION, "stat", false, "TASK", "7B", "R");
        assertThat(m.topic()).isEqualTo("3f2a9c0000004000800000000000000" + "2").hasSize(32);
    }

    @Test
    void laddersTakeThePushChannel() {
        assertThat(Ladder.parse("in-app@0s,push@0s,sms@2m").steps()).containsExactly(
                new Ladder.Step(Channel.IN_APP, Duration.ZERO), new Ladder.Step(Channel.PUSH, Duration.ZERO),
                new Ladder.Step(Channel.SMS, Duration.ofMinutes(2)));
    }
}
