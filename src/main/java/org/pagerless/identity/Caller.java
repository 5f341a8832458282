package org.pagerless.identity;

import java.util.List;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The signed-in user behind a request: their staff id and Pagerless role. Someone an identity provider gives
 * several Pagerless roles acts in the widest one ({@link #PRECEDENCE}); endpoints still admit them for any role
 * they hold ({@code @RolesAllowed} sees them all).
 */
public record Caller(String staffId, String appRole) {

    /** Widest first: the role a person with several roles acts in. */
    static final List<String> PRECEDENCE = List.of(AppRoles.ADMIN, AppRoles.COORDINATOR, AppRoles.SWITCHBOARD,
            AppRoles.NURSE_IN_CHARGE, AppRoles.CLINICIAN, AppRoles.AUDITOR, AppRoles.INTEGRATION, AppRoles.MONITORING);

    public static Caller of(SecurityIdentity identity) {
        return new Caller(identity.getPrincipal().getName(), primaryRole(identity.getRoles()));
    }

    static String primaryRole(Set<String> roles) {
        return PRECEDENCE.stream().filter(roles::contains).findFirst().orElse("");
    }

    public boolean isSupervisor() {
        return AppRoles.SUPERVISORS.contains(appRole);
    }

    public boolean isClinician() {
        return AppRoles.CLINICIAN.equals(appRole);
    }
}
