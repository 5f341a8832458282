package org.pagerless.identity;

import java.util.Optional;

/**
 * Who may sign in with the built-in identity: the Pagerless role of a member of staff, if the hospital has them. The rota
 * answers ({@code rota.StaffAccounts}); identity sits below rota and only knows this port.
 */
public interface StaffDirectory {

    /** The {@link AppRoles} name of {@code staffId}'s account; empty for someone the hospital does not have. */
    Optional<String> appRoleOf(String staffId);
}
