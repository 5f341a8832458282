package org.pagerless.rota.model;

import java.time.Instant;

/**
 * {@code requesterId} asks {@code counterpartId} to take their place as holder of {@code roleId} from
 * {@code startsAt} to {@code endsAt}. It changes the rota only once the counterpart accepts; it is then applied as
 * a replacement of the requester by the counterpart for the period.
 */
public record Swap(String roleId, String requesterId, String counterpartId, Instant startsAt, Instant endsAt,
        Status status) {

    public enum Status {
        REQUESTED, ACCEPTED, DECLINED
    }

    public Swap {
        if (roleId == null || requesterId == null || counterpartId == null || status == null) {
            throw new IllegalArgumentException("a swap needs a role, a requester, a counterpart and a status");
        }
        if (requesterId.equals(counterpartId)) {
            throw new IllegalArgumentException("a swap is between two different people");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a swap must end after it starts");
        }
    }

    public static Swap request(String roleId, String requesterId, String counterpartId, Instant startsAt,
            Instant endsAt) {
        return new Swap(roleId, requesterId, counterpartId, startsAt, endsAt, Status.REQUESTED);
    }

    /** Accepted by {@code staffId}, who must be the counterpart, while it is still only requested. */
    public Swap acceptedBy(String staffId) {
        return decide(staffId, Status.ACCEPTED);
    }

    public Swap declinedBy(String staffId) {
        return decide(staffId, Status.DECLINED);
    }

    private Swap decide(String staffId, Status outcome) {
        if (!counterpartId.equals(staffId)) {
            throw new IllegalStateException("only " + counterpartId + " can answer this swap");
        }
        if (status != Status.REQUESTED) {
            throw new IllegalStateException("the swap is already " + status.name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Swap(roleId, requesterId, counterpartId, startsAt, endsAt, outcome);
    }

    /** The override an accepted swap amounts to. */
    public RotaOverride asOverride() {
        return RotaOverride.replace(roleId, requesterId, counterpartId, startsAt, endsAt);
    }
}
