package org.pagerless.rota.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A rule-based pattern for {@code roleId}, expanded on demand for a window and never stored as shifts: on each of
 * {@code days} (a local date in {@link #ZONE}) from {@code startDate} on (until {@code endDate} inclusive, if set),
 * a shift from local {@code startTime} to local {@code endTime}, the next day when it is not after the start. The
 * occurrences go to {@code staff} in turn, one each: one person gives "weekday days 08:00–17:00"; N people every
 * day gives a 1-in-N nights rotation. Local wall-clock times make it DST-safe: a 20:00–08:00 night across the
 * March change lasts 11 h, across the October change 13 h, and consecutive occurrences meet without a gap.
 */
public record Rotation(String id, String roleId, List<String> staff, Set<DayOfWeek> days, LocalTime startTime,
        LocalTime endTime, LocalDate startDate, LocalDate endDate) {

    public static final ZoneId ZONE = ZoneId.of("Europe/London");

    public Rotation {
        if (roleId == null || roleId.isBlank()) {
            throw new IllegalArgumentException("a rotation needs a role");
        }
        if (staff == null || staff.isEmpty() || staff.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("a rotation needs at least one member of staff");
        }
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("a rotation needs at least one day of the week");
        }
        if (startTime == null || endTime == null || startDate == null) {
            throw new IllegalArgumentException("a rotation needs a start time, an end time and a start date");
        }
        if (endDate != null && endDate.isBefore(startDate)) {
            throw new IllegalArgumentException("a rotation cannot end before it starts");
        }
        staff = List.copyOf(staff);
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    public static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);
    public static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    public static final Set<DayOfWeek> WEEKENDS = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

    /** Whether an occurrence starts on {@code date}. */
    public boolean occursOn(LocalDate date) {
        return !date.isBefore(startDate) && (endDate == null || !date.isAfter(endDate))
                && days.contains(date.getDayOfWeek());
    }

    /**
     * The shift starting on local {@code date}; call only when {@link #occursOn} it. Empty when the clocks skip all of
     * it: 01:00–02:00 on the March change does not happen (both ends are 02:00 BST), and there is nothing to hold. Its
     * turn is still taken, so that the staff's order after the change is the one everybody reads on the rota.
     */
    public Optional<Shift> occurrenceOn(LocalDate date) {
        Instant starts = ZonedDateTime.of(date, startTime, ZONE).toInstant();
        LocalDate endDay = endTime.isAfter(startTime) ? date : date.plusDays(1);
        Instant ends = ZonedDateTime.of(endDay, endTime, ZONE).toInstant();
        if (!ends.isAfter(starts)) {
            return Optional.empty();
        }
        return Optional.of(new Shift(roleId, staff.get((int) (occurrencesBefore(date) % staff.size())), starts, ends));
    }

    /** Every occurrence overlapping [{@code from}, {@code to}). */
    public List<Shift> expand(Instant from, Instant to) {
        List<Shift> shifts = new ArrayList<>();
        LocalDate first = from.atZone(ZONE).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(ZONE).toLocalDate();
        for (LocalDate d = first.isBefore(startDate) ? startDate : first; !d.isAfter(last); d = d.plusDays(1)) {
            if (occursOn(d)) {
                occurrenceOn(d).filter(shift -> shift.endsAt().isAfter(from) && shift.startsAt().isBefore(to))
                        .ifPresent(shifts::add);
            }
        }
        return shifts;
    }

    /** How many occurrences start on or after {@code startDate} and before {@code date}. */
    long occurrencesBefore(LocalDate date) {
        long daysSince = ChronoUnit.DAYS.between(startDate, date);
        long weeks = daysSince / 7;
        long count = weeks * days.size();
        for (LocalDate d = startDate.plusWeeks(weeks); d.isBefore(date); d = d.plusDays(1)) {
            if (days.contains(d.getDayOfWeek())) {
                count++;
            }
        }
        return count;
    }
}
