package org.pagerless.rota;

import java.util.Optional;

import org.pagerless.identity.StaffDirectory;
import org.pagerless.rota.model.Staff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The staff of the hospital as sign-in accounts: their Pagerless role, from the cached reference data. */
@ApplicationScoped
public class StaffAccounts implements StaffDirectory {

    @Inject
    ReferenceData referenceData;

    @Override
    public Optional<String> appRoleOf(String staffId) {
        return referenceData.hospital().staff(staffId).map(Staff::appRole);
    }
}
