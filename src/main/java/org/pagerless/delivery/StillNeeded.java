package org.pagerless.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether claimed deliveries should still go: not once expired, no longer offered to the person, or read on an
 * earlier channel. Decided on what the claim itself read with the rows ({@link DeliveryClaims.Claim#offered()},
 * {@link DeliveryClaims.Claim#read()}: the same statement, the same instant), so a claim costs no further query
 * however many rows it has (issue 13).
 */
@ApplicationScoped
public class StillNeeded {
    static final String NO_LONGER_OFFERED = "no longer offered to this person";

    /** The rows of {@code rows} (some or all of {@code claim}'s) that should not go, by id, each with its reason. */
    Map<UUID, String> whyNot(List<Delivery> rows, DeliveryClaims.Claim claim, Instant now) {
        Map<UUID, String> reasons = new HashMap<>();
        for (Delivery d : rows) {
            if (now.isAfter(d.expiresAt())) {
                reasons.put(d.id(), "expired before it could be sent");
            } else if (d.isMessage()) {
                continue; // a new-message push has no task to be offered; it goes once, by push alone
            } else if (!claim.offered().contains(d.id())) {
                reasons.put(d.id(), NO_LONGER_OFFERED);
            } else if (d.step() > 0 && claim.read().contains(d.id())) {
                reasons.put(d.id(), "already read on another channel");
            }
        }
        return reasons;
    }
}
