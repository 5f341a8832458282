package org.pagerless.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.pagerless.support.FlowTest;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Say;

import io.quarkus.test.junit.QuarkusTest;

/**
 * TwiML written without the SDK's per-call factory lookups is, byte for byte, what the SDK's toXml() writes. In the
 * application's class loader, as the application writes it: the SDK's TwiML classes link {@code javax.xml} types, and
 * run as a plain test after the Quarkus tests in the same JVM they meet Quarkus's copies of those (a linkage error).
 */
@QuarkusTest
class TwimlTextTest extends FlowTest {

    @Test
    void aPageCallsPromptIsWhatTheSdkWrites() {
        VoiceResponse prompt = new VoiceResponse.Builder()
                .say(new Say.Builder("Stat page & <Ward 7> \"now\" 'please' é").language(Say.Language.EN_GB).build())
                .gather(new Gather.Builder().numDigits(1).timeout(5).action("https://pager.example/twilio/voice/x/key?a=1&b=2")
                        .method(HttpMethod.POST).say(new Say.Builder("Press 1 to accept").build()).build())
                .hangup(new Hangup.Builder().build()).build();
        assertEquals(prompt.toXml(), TwimlText.of(prompt));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say language=\"en-GB\">Stat page &amp; "
                + "&lt;Ward 7&gt; \"now\" 'please' é</Say><Gather action=\"https://pager.example/twilio/voice/x/key?a=1&amp;b=2\" "
                + "method=\"POST\" numDigits=\"1\" timeout=\"5\"><Say>Press 1 to accept</Say></Gather><Hangup/></Response>",
                TwimlText.of(prompt));
    }

    @Test
    void aReplyToATextIsWhatTheSdkWrites() {
        MessagingResponse answer = new MessagingResponse.Builder()
                .message(new Message.Builder().body(new Body.Builder("Accepted: ref 1A2B3C & <more>").build()).build()).build();
        assertEquals(answer.toXml(), TwimlText.of(answer));
    }
}
