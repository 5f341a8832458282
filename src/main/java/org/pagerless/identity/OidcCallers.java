package org.pagerless.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Turns an identity signed in by the OIDC provider (a bearer token or an app session) into a Pagerless caller:
 * the principal becomes the staff id (or an integration's client id) and the roles become the Pagerless roles
 * mapped from the configured claims ({@link ClaimMapping}). The provider's own roles are dropped, so only
 * mapped roles ever reach {@code @RolesAllowed}. A token naming nobody is refused (401). Demo (Basic) identities
 * pass through unchanged.
 */
@ApplicationScoped
public class OidcCallers implements SecurityIdentityAugmentor {

    @Inject
    OidcSettings settings;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        return settings.mapping().map(claim -> plain(token.getClaim(claim)))
                .map(mapped -> Uni.createFrom().item((SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(mapped.staffId()))
                        .addRoles(mapped.roles())
                        .addCredentials(identity.getCredentials())
                        .addAttributes(identity.getAttributes())
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(
                        new AuthenticationFailedException("the token names no staff member or integration")));
    }

    /** A claim as plain Java: JSON strings, numbers, arrays and objects become String, Number, List and Map. */
    static Object plain(Object claim) {
        if (claim instanceof JsonString s) {
            return s.getString();
        }
        if (claim instanceof JsonNumber n) {
            return n.numberValue();
        }
        if (claim instanceof JsonArray array) {
            List<Object> list = new ArrayList<>();
            array.forEach(v -> list.add(plain(v)));
            return list;
        }
        if (claim instanceof JsonObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            object.forEach((k, v) -> map.put(k, plain(v)));
            return map;
        }
        if (claim instanceof JsonValue) {
            return null;
        }
        if (claim instanceof Collection<?> c) {
            List<Object> list = new ArrayList<>();
            c.forEach(v -> list.add(plain(v)));
            return list;
        }
        return claim;
    }
}
