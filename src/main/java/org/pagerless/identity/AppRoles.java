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

    /** Roles that oversee all tasks: they may see every task and cancel any. */
    public static final Set<String> SUPERVISORS = Set.of(SWITCHBOARD, NURSE_IN_CHARGE, COORDINATOR, ADMIN);

    private AppRoles() {
    }
}
