package org.pagerless.identity;

import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sign-in through the trust's OpenID Connect provider (docs/identity.md). */
@ConfigMapping(prefix = "pagerless.identity.oidc")
public interface OidcSettings {

    /** Whether tokens and sign-in sessions of the provider are accepted at all (off in standalone mode). */
    @WithDefault("false")
    boolean enabled();

    /** How the apps' pages sign people in: {@code oidc} (authorization code + PKCE) or {@code basic} (demo). */
    @WithDefault("basic")
    BrowserSignIn browserSignIn();

    /** The provider's issuer URL (also quarkus.oidc.auth-server-url of both tenants). */
    java.util.Optional<String> issuer();

    /** The claim holding a person's staff id. */
    @WithDefault("preferred_username")
    String staffIdClaim();

    /** The claim holding an integration's client id (client credentials tokens name no person). */
    @WithDefault("azp")
    String clientIdClaim();

    /** Claims whose values map to Pagerless roles. */
    @WithDefault("roles")
    List<String> roleClaims();

    /** In a role claim whose values are objects (NHS CIS2), the field holding the role code. */
    @WithDefault("role_code")
    String roleCodeField();

    /** Provider role value (or CIS2 role code) → Pagerless role. */
    Map<String, String> roleMap();

    enum BrowserSignIn {
        BASIC, OIDC
    }

    default ClaimMapping mapping() {
        return new ClaimMapping(staffIdClaim(), clientIdClaim(), roleClaims(), roleCodeField(), roleMap());
    }
}
