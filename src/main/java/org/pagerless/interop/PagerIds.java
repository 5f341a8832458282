package org.pagerless.interop;

import java.util.Optional;

import org.pagerless.intake.IntakeRequests.To;
import org.pagerless.rota.model.Hospital;

/**
 * What a paging protocol's recipient id (WCTP recipientID, SNPP pager id) names: a bleep number, else a role (id
 * or name), else a member of staff (their staff id is their pager id).
 */
public final class PagerIds {
    private PagerIds() {
    }

    public static Optional<To> resolve(Hospital hospital, String pagerId) {
        if (pagerId == null || pagerId.isBlank()) {
            return Optional.empty();
        }
        String id = pagerId.strip();
        if (hospital.roleByBleep(id).isPresent()) {
            return Optional.of(new To(null, null, id, null));
        }
        if (hospital.role(id).isPresent()) {
            return Optional.of(new To(id, null, null, null));
        }
        if (hospital.staff(id).isPresent()) {
            return Optional.of(new To(null, id, null, null));
        }
        return Optional.empty();
    }
}
