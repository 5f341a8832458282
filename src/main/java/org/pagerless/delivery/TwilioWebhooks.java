package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.delivery.model.DeliveryStatus;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * Twilio's webhooks: message status callbacks and inbound texts. Outside {@code /api} (Twilio cannot
 * sign in), so every request must carry a valid {@code X-Twilio-Signature} over our public URL and its
 * parameters, made with the auth token; {@link TwilioSignature} answers anything else 403 and nothing changes.
 */
@Path("/twilio/sms")
@Tag(name = "Twilio webhooks")
public class TwilioWebhooks {
    static final String STATUS_PATH = "/twilio/sms/status";

    @Inject
    DeliveryOutbox outbox;
    @Inject
    SmsReplies replies;
    @Inject
    InstantSource clock;

    @POST
    @Path("status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Twilio message status callback", description = "Moves the delivery forward; never back.")
    @TwilioSigned
    public Response status(MultivaluedMap<String, String> form) throws SQLException {
        Map<String, String> params = flatten(form);
        String sid = params.get("MessageSid");
        Optional<DeliveryStatus> next = DeliveryStatus.fromTwilio(params.get("MessageStatus"));
        if (sid != null && next.isPresent()) {
            String reason = next.get() == DeliveryStatus.FAILED
                    ? "Twilio " + params.getOrDefault("MessageStatus", "failed")
                            + (params.get("ErrorCode") == null ? "" : " (error " + params.get("ErrorCode") + ")")
                    : null;
            outbox.providerStatus(sid, next.get(), reason, clock.instant());
        }
        return Response.noContent().build();
    }

    @POST
    @Path("inbound")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Inbound text", description = "A reply to a page; answered with TwiML.")
    @TwilioSigned
    public Response inbound(MultivaluedMap<String, String> form) throws SQLException {
        Map<String, String> params = flatten(form);
        String answer = replies.handle(params.get("From"), params.get("Body"), params.get("MessageSid"));
        String twiml = TwimlText.of(new MessagingResponse.Builder()
                .message(new Message.Builder().body(new Body.Builder(answer).build()).build()).build());
        return Response.ok(twiml, MediaType.APPLICATION_XML).build();
    }

    static Map<String, String> flatten(MultivaluedMap<String, String> form) {
        Map<String, String> params = new HashMap<>();
        if (form != null) {
            form.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        }
        return params;
    }
}
