package org.pagerless.identity;

import java.util.Set;

/** What a signed-in user may do in Pagerless. Checks use these names, whatever the sign-in mechanism. */
public final class AppRoles {
    public static final String SWITCHBOARD = "switchboard";
    public static final String CLINICIAN = "clinician";
    public static final String NURSE_IN_CHARGE = "nurse-in-charge";
    public static final String COORDINATOR = "coordinator";
    public static final String ADMIN = "admin";
    public static final String INTEGRATION = "integration";
    /** Reads the audit of patient-data reads (Caldicott guardian, information governance); nothing else. */
    public static final String AUDITOR = "auditor";
    /** Scrapes /q/metrics in production (Prometheus with a client-credentials token); nothing else. */
    public static final String MONITORING = "monitoring";

    /** Roles that oversee all tasks: they may see every task and cancel any. */
    public static final Set<String> SUPERVISORS = Set.of(SWITCHBOARD, NURSE_IN_CHARGE, COORDINATOR, ADMIN);

    /** Every Pagerless role; an identity provider's roles map onto these (docs/identity.md). */
    public static final Set<String> ALL = Set.of(SWITCHBOARD, CLINICIAN, NURSE_IN_CHARGE, COORDINATOR, ADMIN, INTEGRATION,
            AUDITOR, MONITORING);

    private AppRoles() {
    }
}
