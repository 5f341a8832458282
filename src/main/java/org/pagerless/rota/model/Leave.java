package org.pagerless.rota.model;

import java.time.Instant;

/** {@code staffId} is away from {@code startsAt} (inclusive) to {@code endsAt} (exclusive): never resolved as a holder. */
public record Leave(String staffId, Instant startsAt, Instant endsAt) {

    public Leave {
        if (staffId == null || staffId.isBlank()) {
            throw new IllegalArgumentException("leave needs a member of staff");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("leave must end after it starts");
        }
    }

    public boolean covers(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }
}
