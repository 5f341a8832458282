package org.pagerless.identity;

import java.util.Set;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Which OIDC set-up a request is checked against (docs/identity.md):
 * <ul>
 * <li>a {@code Bearer} token (the API, integrations): the default tenant, which verifies the token;</li>
 * <li>the apps' sign-in ({@code /signin}), a request carrying the apps' session cookie, and — when the pages
 * sign in with OIDC — the pages themselves: {@value #WEB}, the authorization-code flow with PKCE;</li>
 * <li>anything else, when the pages sign in with HTTP Basic (standalone mode, tests): {@value #OFF}, a disabled
 * tenant, so OIDC stays silent and the Basic challenge reaches the browser as before (ADR 0008).</li>
 * </ul>
 */
@ApplicationScoped
public class SignInTenants implements TenantResolver {
    public static final String WEB = "web";
    public static final String OFF = "off";
    /** Where the apps' session starts and ends (the {@value #WEB} tenant's cookies carry this tenant's name). */
    public static final String SIGN_IN = "/signin";
    public static final String SIGN_OUT = "/signout";
    private static final Set<String> PAGES = Set.of("/", "/app", "/board", "/switchboard", SIGN_IN, SIGN_OUT);

    /** The identity attribute quarkus-oidc names the tenant with (OidcUtils.TENANT_ID_ATTRIBUTE). */
    static final String TENANT_ATTRIBUTE = "tenant-id";

    @Inject
    OidcSettings settings;

    /** Where the apps sign this person out: {@value #SIGN_OUT} when they signed in to the apps with the provider. */
    public static java.util.Optional<String> signOutFor(io.quarkus.security.identity.SecurityIdentity identity) {
        return WEB.equals(identity.getAttribute(TENANT_ATTRIBUTE)) ? java.util.Optional.of(SIGN_OUT)
                : java.util.Optional.empty();
    }

    @Override
    public String resolve(RoutingContext context) {
        String authorization = context.request().getHeader("Authorization");
        if (!settings.enabled()) {
            return OFF;
        }
        if (authorization != null) {
            return authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? null : OFF;
        }
        String path = context.normalizedPath();
        if (hasWebSession(context) || SIGN_IN.equals(path)) {
            return WEB;
        }
        if (settings.browserSignIn() == OidcSettings.BrowserSignIn.OIDC) {
            return isPage(path) ? WEB : null;
        }
        return OFF;
    }

    private static boolean isPage(String path) {
        return PAGES.contains(path) || path.startsWith("/app/") || path.startsWith("/board/")
                || path.startsWith("/switchboard/");
    }

    private static boolean hasWebSession(RoutingContext context) {
        for (Cookie cookie : context.request().cookies()) {
            if (cookie.getName().startsWith("q_session_" + WEB) || cookie.getName().startsWith("q_auth_" + WEB)) {
                return true;
            }
        }
        return false;
    }
}
