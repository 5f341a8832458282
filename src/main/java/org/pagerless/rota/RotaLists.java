package org.pagerless.rota;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.pagerless.rota.RotaRoleResource.RoleDocument;
import org.pagerless.rota.ShiftResource.ShiftDocument;
import org.pagerless.rota.StaffResource.StaffDocument;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The admin lists that are read most — staff, roles, the default window's shifts — as last read from the database
 * ({@link StaffStore}, {@link RoleStore}, {@link ShiftStore}), kept until this pod next reloads its rota
 * ({@link KeptUntilReload}). So a list is exactly as fresh as the rota pages are routed by: a write here is in it
 * before the write is answered, another pod's within a second or so (its rota event), and at worst by the next
 * safety-net refresh ({@code pagerless.reference-data.refresh}). ADR 0006 says why (issue 11: the rota read path no
 * slower than the JDBC stores were, when the stores were Hibernate Reactive's).
 */
@ApplicationScoped
public class RotaLists {
    /** The default window of {@code GET /api/v1/rota/shifts}: a day back to 14 days ahead. */
    static final Duration BACK = Duration.ofDays(1);
    static final Duration AHEAD = Duration.ofDays(14);
    /** The shifts kept reach a day past the default window, so a request a while after the read still falls in it. */
    private static final Duration MARGIN = Duration.ofDays(1);

    /** Shifts overlapping [{@code from}, {@code to}) in the store's order, with their times parsed once. */
    private record Window(Instant from, Instant to, List<Held> shifts) {
        boolean covers(Instant wantedFrom, Instant wantedTo) {
            return !wantedFrom.isBefore(from) && !wantedTo.isAfter(to);
        }
    }

    private record Held(Instant startsAt, Instant endsAt, ShiftDocument shift) {
    }

    @Inject
    ReferenceData referenceData;
    @Inject
    StaffStore staffStore;
    @Inject
    RoleStore roleStore;
    @Inject
    ShiftStore shiftStore;

    private KeptUntilReload<List<StaffDocument>> staff;
    private KeptUntilReload<List<RoleDocument>> roles;
    private KeptUntilReload<Window> shifts;

    @PostConstruct
    void keep() {
        staff = new KeptUntilReload<>(referenceData::reloads);
        roles = new KeptUntilReload<>(referenceData::reloads);
        shifts = new KeptUntilReload<>(referenceData::reloads);
    }

    /** Everyone, by id, with their phone numbers (the resource decides who may see those). */
    public Uni<List<StaffDocument>> staff() {
        return staff.get(staffStore::all);
    }

    /** Every role by name, with the wards it covers. */
    public Uni<List<RoleDocument>> roles() {
        return roles.get(roleStore::all);
    }

    /**
     * The shifts overlapping the default window at {@code now}, narrowed to a role and a person when given: the same
     * shifts, in the same order, as {@link ShiftStore#overlapping} would read.
     */
    public Uni<List<ShiftDocument>> shifts(Instant now, String roleId, String staffId) {
        Instant from = now.minus(BACK);
        Instant to = now.plus(AHEAD);
        return shifts.get(() -> read(from, to.plus(MARGIN))).chain(window -> window.covers(from, to)
                ? Uni.createFrom().item(window.shifts().stream().filter(h -> h.endsAt().isAfter(from)
                        && h.startsAt().isBefore(to) && (roleId == null || roleId.equals(h.shift().roleId()))
                        && (staffId == null || staffId.equals(h.shift().staffId()))).map(Held::shift).toList())
                : shiftStore.overlapping(from, to, roleId, staffId));
    }

    private Uni<Window> read(Instant from, Instant to) {
        return shiftStore.overlapping(from, to, null, null).map(found -> new Window(from, to, found.stream()
                .map(s -> new Held(Instant.parse(s.from()), Instant.parse(s.to()), s)).toList()));
    }
}
