package org.pagerless.identity;

import io.quarkus.security.identity.SecurityIdentity;

/** The signed-in user behind a request: their staff id and Pagerless role. */
public record Caller(String staffId, String appRole) {

    public static Caller of(SecurityIdentity identity) {
        String role = identity.getRoles().stream().findFirst().orElse("");
        return new Caller(identity.getPrincipal().getName(), role);
    }

    public boolean isSupervisor() {
        return AppRoles.SUPERVISORS.contains(appRole);
    }

    public boolean isClinician() {
        return AppRoles.CLINICIAN.equals(appRole);
    }
}
