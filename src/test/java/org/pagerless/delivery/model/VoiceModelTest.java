package org.pagerless.delivery.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.delivery.model.DeliveryStatus.DELIVERED;
import static org.pagerless.delivery.model.DeliveryStatus.FAILED;
import static org.pagerless.delivery.model.DeliveryStatus.SENT;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The voice channel's plain rules: what a call says, what its keys mean, how call statuses map. */
class VoiceModelTest {

    @Test
    void aCallSaysPriorityKindWardAndTheReferenceOneCharacterAtATime() {
        assertThat(PageText.voice("urgent", "TASK", "7B", "3F2A9C"))
                .isEqualTo("Urgent task from Ward 7B, reference 3 F 2 A 9 C. Press 1 to accept, 2 to decline, 9 to repeat.");
        assertThat(PageText.voice("stat", "BLEEP", null, "0A1B2C"))
                .isEqualTo("Stat bleep, reference 0 A 1 B 2 C. Press 1 to accept, 2 to decline, 9 to repeat.");
        assertThat(PageText.voice("stat", "BROADCAST", "7A", "ABCDEF"))
                .isEqualTo("Emergency broadcast from Ward 7A, reference A B C D E F. "
                        + "Acknowledge in the Pagerless app now. Press 9 to repeat.");
    }

    @Test
    void keysAre1Accept2Decline9RepeatAndNothingElse() {
        assertThat(VoiceKey.of("1")).isEqualTo(VoiceKey.ACCEPT);
        assertThat(VoiceKey.of("2")).isEqualTo(VoiceKey.DECLINE);
        assertThat(VoiceKey.of("9")).isEqualTo(VoiceKey.REPEAT);
        assertThat(VoiceKey.of("3")).isEqualTo(VoiceKey.NOTHING);
        assertThat(VoiceKey.of("*")).isEqualTo(VoiceKey.NOTHING);
        assertThat(VoiceKey.of(null)).isEqualTo(VoiceKey.NOTHING);
    }

    @Test
    void callStatusesMapOntoOursAndUnansweredIsAFailure() {
        assertThat(DeliveryStatus.fromTwilioCall("queued")).contains(SENT);
        assertThat(DeliveryStatus.fromTwilioCall("ringing")).contains(SENT);
        assertThat(DeliveryStatus.fromTwilioCall("in-progress")).contains(DELIVERED);
        assertThat(DeliveryStatus.fromTwilioCall("completed")).contains(DELIVERED);
        assertThat(DeliveryStatus.fromTwilioCall("busy")).contains(FAILED);
        assertThat(DeliveryStatus.fromTwilioCall("no-answer")).contains(FAILED);
        assertThat(DeliveryStatus.fromTwilioCall("canceled")).contains(FAILED);
        assertThat(DeliveryStatus.fromTwilioCall("something-new")).isEmpty();
        assertThat(DELIVERED.canMoveTo(FAILED)).isFalse();
    }

    @Test
    void statCallsAtOnceAndAsapCallsAfterTheText() {
        assertThat(Ladder.parse("in-app@0s,sms@0s,voice@0s").steps()).extracting(Ladder.Step::channel)
                .containsExactly(Channel.IN_APP, Channel.SMS, Channel.VOICE);
        assertThat(Ladder.parse("in-app@0s,sms@60s,voice@3m").steps().get(2))
                .isEqualTo(new Ladder.Step(Channel.VOICE, Duration.ofMinutes(3)));
    }
}
