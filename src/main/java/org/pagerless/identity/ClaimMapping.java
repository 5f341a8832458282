package org.pagerless.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How a token from the trust's identity provider becomes a Pagerless caller: the staff id from one claim, the
 * Pagerless roles from one or more role claims, each value mapped by configuration. Plain Java: claims come in
 * as Strings, Lists and Maps (a JSON claim already converted), so it is tested without a token.
 * <p>
 * A role claim value is a string ({@code "clinician"}, an Entra app role, a Keycloak group) or an object whose
 * {@code roleCodeField} holds the code (NHS CIS2's {@code nhsid_nrbac_roles}: {@code {"role_code":
 * "S8000:G8000:R8003", ...}}). A value maps through {@code roleMap} by its whole text or, for a colon-separated
 * CIS2 code, by its last part ({@code R8003}); a value that already is a Pagerless role name stands for itself.
 * Anything else is ignored, so a token with no mapped role gets no Pagerless role and is refused by every
 * endpoint.
 * <p>
 * Integrations (client credentials) carry no person: a token mapped to {@link AppRoles#INTEGRATION} takes its
 * id from {@code clientIdClaim} (the client id, e.g. {@code azp}), never from a user name.
 */
public record ClaimMapping(String staffIdClaim, String clientIdClaim, List<String> roleClaims, String roleCodeField,
                           Map<String, String> roleMap) {

    /** Who a token says the caller is; empty when it names nobody. */
    public record Mapped(String staffId, Set<String> roles) {
    }

    public Optional<Mapped> map(Function<String, Object> claims) {
        Set<String> roles = new LinkedHashSet<>();
        for (String claim : roleClaims) {
            for (Object value : values(claims.apply(claim))) {
                String code = code(value);
                if (code != null) {
                    role(code).ifPresent(roles::add);
                }
            }
        }
        String idClaim = roles.contains(AppRoles.INTEGRATION) ? clientIdClaim : staffIdClaim;
        Object id = claims.apply(idClaim);
        if (!(id instanceof String staffId) || staffId.isBlank()) {
            return Optional.empty();
        }
        if (roles.contains(AppRoles.INTEGRATION) && roles.size() > 1) {
            // A system is never also a person: a token claiming both gets neither's rights.
            roles = Set.of();
        }
        return Optional.of(new Mapped(staffId.strip(), Set.copyOf(roles)));
    }

    private Optional<String> role(String code) {
        String mapped = roleMap.get(code);
        if (mapped == null && code.contains(":")) {
            mapped = roleMap.get(code.substring(code.lastIndexOf(':') + 1));
        }
        if (mapped == null && AppRoles.ALL.contains(code)) {
            mapped = code;
        }
        return Optional.ofNullable(mapped).filter(AppRoles.ALL::contains);
    }

    private String code(Object value) {
        if (value instanceof String s) {
            return s.strip();
        }
        if (value instanceof Map<?, ?> m && m.get(roleCodeField) instanceof String s) {
            return s.strip();
        }
        return null;
    }

    private static Collection<?> values(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof Collection<?> c) {
            return c;
        }
        if (claim instanceof String s) {
            // Some providers send a space- or comma-separated list in one string.
            List<String> parts = new ArrayList<>();
            for (String part : s.split("[ ,]+")) {
                if (!part.isBlank()) {
                    parts.add(part);
                }
            }
            return parts;
        }
        return List.of(claim);
    }
}
