package org.pagerless.rota.model;

import java.time.Instant;

/** One person holding one role from {@code startsAt} (inclusive) to {@code endsAt} (exclusive). */
public record Shift(String roleId, String staffId, Instant startsAt, Instant endsAt) {

    public Shift {
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a shift must end after it starts");
        }
    }

    public boolean covers(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }
}
