package org.pagerless.delivery;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.ProblemException;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The VAPID public key (RFC 8292) the app subscribes its browser with (ADR 0011). */
@Path("/api/v1/push/vapid-public-key")
@Tag(name = "Me")
@Authenticated
public class VapidKeyResource {
    @Inject
    WebPushSender push;

    /** The application server key browsers subscribe with. */
    public record VapidKey(String publicKey) {
    }

    @GET
    @Operation(summary = "The VAPID public key to subscribe with",
            description = "Base64url uncompressed P-256 point (the browser's applicationServerKey).")
    @APIResponse(responseCode = "200", description = "Web Push is on")
    @APIResponse(responseCode = "503", description = "Web Push is not configured on this server")
    public VapidKey publicKey() {
        return push.publicKey().map(VapidKey::new).orElseThrow(() -> new ProblemException(503, "Service unavailable",
                "Web Push is not configured on this server"));
    }
}
