package org.pagerless.identity;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The apps' sign-in and sign-out with the trust's identity provider. {@code GET /signin} is answered by the
 * provider's login (authorization code + PKCE, tenant {@value SignInTenants#WEB}); once signed in the browser
 * carries a session cookie and is sent on to {@code then} (a path on this site only). {@code GET /signout} ends
 * the session here and at the provider (OIDC RP-initiated logout, handled by quarkus-oidc before this resource
 * is reached; a request without an OIDC session just goes home).
 */
@Path("/")
public class SignInResource {

    @GET
    @Path("signin")
    @Authenticated
    @Operation(summary = "Sign in to the apps with the hospital's identity provider, then go to `then`")
    public Response signIn(@QueryParam("then") String then) {
        return Response.seeOther(URI.create(localPath(then))).build();
    }

    @GET
    @Path("signout")
    @Operation(summary = "Sign out of the apps (and of the identity provider)")
    public Response signOut() {
        return Response.seeOther(URI.create("/")).build();
    }

    /** Only a path on this site: never an open redirect to somewhere else. */
    static String localPath(String then) {
        if (then == null || !then.startsWith("/") || then.startsWith("//") || then.contains("\\")
                || then.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "/";
        }
        return then;
    }
}
