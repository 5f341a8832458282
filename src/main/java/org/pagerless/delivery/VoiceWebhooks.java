package org.pagerless.delivery;

import static org.pagerless.delivery.TwilioWebhooks.flatten;

import java.sql.SQLException;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.delivery.model.DeliveryStatus;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * Twilio's voice webhooks: what an answered page call says, the key pressed, and call status callbacks.
 * Like the SMS webhooks, every request must carry a valid {@code X-Twilio-Signature} over our public URL and
 * its parameters; {@link TwilioSignature} answers anything else 403 and nothing changes (ADR 0012).
 */
@Path("/twilio/voice")
@Tag(name = "Twilio webhooks")
public class VoiceWebhooks {
    static final String STATUS_PATH = "/twilio/voice/status";

    @Inject
    VoiceCalls calls;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    InstantSource clock;

    /** Where Twilio fetches what to say when the call about this delivery is answered. */
    static String callPath(UUID deliveryId) {
        return "/twilio/voice/" + deliveryId;
    }

    /** Where Twilio posts the key pressed during that call. */
    static String keyPath(UUID deliveryId) {
        return callPath(deliveryId) + "/key";
    }

    @POST
    @Path("status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Twilio call status callback",
            description = "queued/ringing → sent, in-progress/completed → delivered, busy/no-answer/failed/canceled → "
                    + "failed with the reason. Moves the delivery forward; never back.")
    @TwilioSigned
    public Response status(MultivaluedMap<String, String> form) throws SQLException {
        Map<String, String> params = flatten(form);
        String sid = params.get("CallSid");
        String status = params.get("CallStatus");
        Optional<DeliveryStatus> next = DeliveryStatus.fromTwilioCall(status);
        if (sid != null && next.isPresent()) {
            String reason = next.get() == DeliveryStatus.FAILED
                    ? "Twilio call " + status + (params.get("ErrorCode") == null ? "" : " (error " + params.get("ErrorCode") + ")")
                    : null;
            outbox.providerStatus(sid, next.get(), reason, clock.instant());
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{deliveryId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "Page call answered",
            description = "TwiML: the page (priority, ward, reference; never the patient) and a one-key menu: 1 accept, "
                    + "2 decline, 9 repeat. A page no longer offered to the person says so and hangs up.")
    @TwilioSigned
    public Response answered(@PathParam("deliveryId") String deliveryId) throws SQLException {
        return Response.ok(calls.answered(deliveryId), MediaType.APPLICATION_XML).build();
    }

    @POST
    @Path("{deliveryId}/key")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "Key pressed during a page call",
            description = "1 accepts, 2 declines (\"declined by phone\"), 9 repeats, any other key says it does nothing; "
                    + "answered with TwiML speaking the outcome, e.g. who already has the task.")
    @TwilioSigned
    public Response pressed(@PathParam("deliveryId") String deliveryId, MultivaluedMap<String, String> form)
            throws SQLException {
        Map<String, String> params = flatten(form);
        return Response.ok(calls.pressed(deliveryId, params.get("CallSid"), params.get("Digits")),
                MediaType.APPLICATION_XML).build();
    }
}
