package org.pagerless.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.delivery.PushSubscriptions.PushSubscription;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem;
import org.pagerless.platform.ProblemException;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** Web Push registration (ADR 0011): the app subscribes its browser with the VAPID key and registers it here. */
@Path("/api/v1/me/push-subscriptions")
@Tag(name = "Me")
@Authenticated
public class WebPushResource {
    @Inject
    PushSubscriptions subscriptions;
    @Inject
    WebPushSender push;
    @Inject
    SecurityIdentity identity;
    @Inject
    InstantSource clock;

    /** The body of a browser's {@code PushSubscription.toJSON()}. */
    public record SubscriptionDocument(String endpoint, Long expirationTime, Keys keys) {
        public record Keys(String p256dh, String auth) {
        }
    }

    /** One of my subscriptions; {@code retiredAt} set once it will never be pushed to again, with why. */
    public record SubscriptionView(UUID id, String endpoint, String userAgent, Instant createdAt, Instant retiredAt,
                                   String retiredReason) {
        static SubscriptionView of(PushSubscription s) {
            return new SubscriptionView(s.id(), s.endpoint(), s.userAgent(), s.createdAt(), s.retiredAt(),
                    s.retiredReason());
        }
    }

    @GET
    @Operation(summary = "My push subscriptions", description = "Newest first, live and retired.")
    public List<SubscriptionView> mine() throws SQLException {
        return subscriptions.ofStaff(Caller.of(identity).staffId()).stream().map(SubscriptionView::of).toList();
    }

    @POST
    @Operation(summary = "Turn alerts on in this browser",
            description = "Registers the browser's push subscription for me. The same endpoint again refreshes it (200); "
                    + "an endpoint registered by someone else is moved to me.")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "200", description = "Already registered: keys refreshed")
    @APIResponse(responseCode = "400", description = "A field is missing or invalid; the problem names it")
    public Response register(SubscriptionDocument body, @HeaderParam("User-Agent") String userAgent)
            throws SQLException {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        String endpoint = body.endpoint() == null ? null : body.endpoint().trim();
        if (endpoint == null || endpoint.isEmpty()) {
            violations.add(new Problem.Violation("endpoint", "is required"));
        } else if (endpoint.length() > 2048) {
            violations.add(new Problem.Violation("endpoint", "must be at most 2048 characters"));
        } else if (!allowed(endpoint)) {
            violations.add(new Problem.Violation("endpoint", "must be an https URL of a known push service"));
        }
        SubscriptionDocument.Keys keys = body.keys();
        if (keys == null) {
            violations.add(new Problem.Violation("keys", "is required"));
        } else {
            key("keys.p256dh", keys.p256dh(), violations, raw -> WebPushCrypto.publicKey(raw));
            key("keys.auth", keys.auth(), violations, raw -> {
                if (raw.length != 16) {
                    throw new IllegalArgumentException("must be 16 bytes");
                }
            });
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        String agent = userAgent == null ? null : userAgent.substring(0, Math.min(300, userAgent.length()));
        PushSubscriptions.Registered registered = subscriptions.register(Caller.of(identity).staffId(), endpoint,
                keys.p256dh().trim(), keys.auth().trim(), agent, clock.instant());
        return Response.status(registered.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(SubscriptionView.of(registered.subscription())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Turn alerts off in a browser", description = "Retires the subscription: never pushed to again.")
    @APIResponse(responseCode = "200", description = "Retired (or already was)")
    @APIResponse(responseCode = "404", description = "Not one of mine")
    public SubscriptionView retire(@PathParam("id") String id) throws SQLException {
        UUID subscriptionId;
        try {
            subscriptionId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no push subscription with id " + id);
        }
        return subscriptions.retireOwn(Caller.of(identity).staffId(), subscriptionId, clock.instant())
                .map(SubscriptionView::of)
                .orElseThrow(() -> ProblemException.notFound("no push subscription with id " + id));
    }

    private boolean allowed(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            return uri.isAbsolute() && push.allowedEndpoint(uri);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private interface Check {
        void accept(byte[] raw);
    }

    private static void key(String field, String value, List<Problem.Violation> violations, Check check) {
        if (value == null || value.isBlank()) {
            violations.add(new Problem.Violation(field, "is required"));
            return;
        }
        byte[] raw;
        try {
            raw = WebPushCrypto.fromBase64Url(value);
        } catch (IllegalArgumentException e) {
            violations.add(new Problem.Violation(field, "must be base64url"));
            return;
        }
        try {
            check.accept(raw);
        } catch (IllegalArgumentException e) {
            violations.add(new Problem.Violation(field, e.getMessage()));
        }
    }
}
