package org.pagerless.board;

import java.net.URI;
import java.util.Locale;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.pagerless.platform.Problem;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

/**
 * Browsers resend the credentials a user typed (HTTP Basic, later a session) on every request to
 * our origin, including requests that another site's page makes them send. So a request a browser
 * marks as coming from another site may not change anything, and may not open the live feed (which
 * streams task events, patient detail included). Non-browser clients (integrations, the phone
 * app's tests) send neither {@code Origin} nor {@code Sec-Fetch-Site} and are unaffected.
 * See docs/adr/0008-browser-sign-in.md.
 */
public class SameOrigin {

    /** Whether a request with these headers may act: no browser evidence of another site. */
    static boolean allowed(String origin, String secFetchSite, String host) {
        if (secFetchSite != null) {
            String site = secFetchSite.toLowerCase(Locale.ROOT);
            if (!site.equals("same-origin") && !site.equals("none")) {
                return false;
            }
        }
        if (origin == null) {
            return true;
        }
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            return host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @ServerRequestFilter
    public Response refuseCrossSiteChanges(ContainerRequestContext request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return null;
        }
        if (allowed(request.getHeaderString("Origin"), request.getHeaderString("Sec-Fetch-Site"),
                request.getHeaderString("Host"))) {
            return null;
        }
        return Response.status(403).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(403, "Forbidden", "requests from another site's page may not change anything here"))
                .build();
    }

    /** The live feed opens only for pages of our own origin (Cross-Site WebSocket Hijacking). */
    @ApplicationScoped
    public static class LiveFeedCheck implements HttpUpgradeCheck {
        @Override
        public Uni<CheckResult> perform(HttpUpgradeContext context) {
            HttpServerRequest request = context.httpRequest();
            if (allowed(request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"), request.getHeader("Host"))) {
                return CheckResult.permitUpgrade();
            }
            return CheckResult.rejectUpgrade(403);
        }
    }
}
