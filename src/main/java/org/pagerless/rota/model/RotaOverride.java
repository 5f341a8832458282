package org.pagerless.rota.model;

import java.time.Instant;

/**
 * A change to who holds {@code roleId} from {@code startsAt} (inclusive) to {@code endsAt} (exclusive), applied over
 * the shifts and rotations: {@link Kind#ADD} makes {@code staffId} a holder as well; {@link Kind#REMOVE} takes
 * {@code replacedStaffId} off; {@link Kind#REPLACE} puts {@code staffId} in place of {@code replacedStaffId} when
 * that person would hold the role.
 */
public record RotaOverride(String roleId, Kind kind, String staffId, String replacedStaffId, Instant startsAt,
        Instant endsAt) {

    public enum Kind {
        ADD, REMOVE, REPLACE
    }

    public RotaOverride {
        if (roleId == null || kind == null) {
            throw new IllegalArgumentException("an override needs a role and a kind");
        }
        if (kind != Kind.REMOVE && (staffId == null || staffId.isBlank())) {
            throw new IllegalArgumentException("an " + kind + " override needs the member of staff who takes over");
        }
        if (kind != Kind.ADD && (replacedStaffId == null || replacedStaffId.isBlank())) {
            throw new IllegalArgumentException("a " + kind + " override needs the member of staff it replaces");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("an override must end after it starts");
        }
    }

    public static RotaOverride add(String roleId, String staffId, Instant startsAt, Instant endsAt) {
        return new RotaOverride(roleId, Kind.ADD, staffId, null, startsAt, endsAt);
    }

    public static RotaOverride remove(String roleId, String staffId, Instant startsAt, Instant endsAt) {
        return new RotaOverride(roleId, Kind.REMOVE, null, staffId, startsAt, endsAt);
    }

    public static RotaOverride replace(String roleId, String replacedStaffId, String staffId, Instant startsAt,
            Instant endsAt) {
        return new RotaOverride(roleId, Kind.REPLACE, staffId, replacedStaffId, startsAt, endsAt);
    }

    public boolean covers(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }
}
