package org.pagerless.escalation.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.pagerless.rota.model.Hospital;
import org.pagerless.task.model.Task;

/** What a shift change can leave behind, and who must hand over. Pure: the rota and the instants are passed in. */
public final class Handover {
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm")
            .withZone(ZoneId.of("Europe/London"));

    private Handover() {
    }

    /** {@code staffId} stopped holding {@code roleId} at {@code at}: what they had for that role must be handed over. */
    public record Departure(String roleId, String staffId, Instant at) {
    }

    /**
     * Everyone who stopped holding {@code roleId} in ({@code from}, {@code to}], at the instant they stopped, in order:
     * at each instant the rota may change (a shift, rotation, override or leave starting or ending), whoever held the
     * role just before and does not hold it at that instant. A shift that ends as another begins is one departure;
     * overlapping shifts hand over when the earlier one ends.
     */
    public static List<Departure> departures(Hospital hospital, String roleId, Instant from, Instant to) {
        List<Departure> departures = new ArrayList<>();
        for (Instant change : hospital.rota().changesOf(roleId, from, to)) {
            List<String> after = hospital.holdersOf(roleId, change);
            for (String before : hospital.holdersOf(roleId, change.minusNanos(1))) {
                if (!after.contains(before)) {
                    departures.add(new Departure(roleId, before, change));
                }
            }
        }
        return departures;
    }

    /**
     * The first instant in ({@code from}, {@code to}] at which who holds any role may change, if there is one: the
     * earliest a handover check could find someone leaving.
     */
    public static Optional<Instant> nextChange(Hospital hospital, Instant from, Instant to) {
        return hospital.roles().stream()
                .flatMap(r -> hospital.rota().changesOf(r.id(), from, to).stream().limit(1))
                .min(Instant::compareTo);
    }

    /** The note a handover carries when the outgoing holder left none: "shift ended 08:00, handed over from Dr Amira Khan". */
    public static String note(Instant shiftEnded, String outgoingName) {
        return "shift ended " + CLOCK_TIME.format(shiftEnded) + ", handed over from " + outgoingName;
    }

    /** The open tasks among {@code owned} whose owner holds no role at {@code at}: nobody on duty is doing them. */
    public static List<Task> orphans(List<Task> owned, Hospital hospital, Instant at) {
        return owned.stream()
                .filter(t -> t.owner() != null && t.status().isOpen())
                .filter(t -> offDuty(t.owner(), hospital, at))
                .toList();
    }

    /** Whether {@code staffId} holds no role at {@code at}. */
    public static boolean offDuty(String staffId, Hospital hospital, Instant at) {
        return hospital.roles().stream().noneMatch(r -> hospital.holdersOf(r.id(), at).contains(staffId));
    }
}
