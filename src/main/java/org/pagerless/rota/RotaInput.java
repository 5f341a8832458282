package org.pagerless.rota;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.platform.TextField;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Rotation;

/**
 * How the rota's admin resources read their input: each check adds a {@link Violation} naming the field and the reason
 * and answers what it could read (null when nothing); {@link #reject} then refuses the request with every violation at
 * once, so nothing is written in part.
 */
final class RotaInput {
    /** Ids of staff, roles and teams: the sign-in name for staff. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private RotaInput() {
    }

    /** 400 with every violation, if there is any. */
    static void reject(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
    }

    /** The body itself must be there. */
    static void body(Object body) {
        if (body == null) {
            throw new InvalidRequest("body", "is required");
        }
    }

    /**
     * The id of a new record ({@code pathId} null) or of the one at {@code pathId} (the body may repeat it, never
     * differ); {@code example} says what one looks like.
     */
    static String id(String given, String pathId, String example, List<Violation> v) {
        String id = pathId != null ? pathId : trim(given);
        if (pathId != null && given != null && !given.trim().equals(pathId)) {
            v.add(new Violation("id", "must match the path (" + pathId + ")"));
        } else if (id == null) {
            v.add(new Violation("id", "is required (" + example + ")"));
        } else if (!ID.matcher(id).matches()) {
            v.add(new Violation("id", "must be 1-64 lower case letters, digits, '.', '_' or '-'"));
        }
        return id;
    }

    /** Null for null or blank, otherwise trimmed. */
    static String trim(String s) {
        return TextField.trimmed(s);
    }

    /** A text that must be given, at most {@code max} characters once trimmed. */
    static String required(String field, String value, int max, List<Violation> v) {
        return TextField.check(field, value, true, max, v);
    }

    /** A role by id or name, as its id. */
    static String role(Hospital hospital, String idOrName, List<Violation> violations) {
        if (idOrName == null || idOrName.isBlank()) {
            violations.add(new Violation("roleId", "is required"));
            return null;
        }
        return hospital.role(idOrName).map(r -> r.id()).orElseGet(() -> {
            violations.add(new Violation("roleId", "no role '" + idOrName + "'"));
            return null;
        });
    }

    /** A member of staff by id (the hospital must have them). */
    static void staff(Hospital hospital, String field, String id, boolean required, List<Violation> violations) {
        if (id == null || id.isBlank()) {
            if (required) {
                violations.add(new Violation(field, "is required"));
            }
        } else if (hospital.staff(id).isEmpty()) {
            violations.add(new Violation(field, "no member of staff '" + id + "'"));
        }
    }

    /** An instant with an offset, e.g. 2026-03-28T20:00:00Z. */
    static Instant instant(String field, String text, List<Violation> violations) {
        if (text == null || text.isBlank()) {
            violations.add(new Violation(field, "is required (an instant, e.g. 2026-03-28T20:00:00Z)"));
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new Violation(field, "is not an instant with an offset, e.g. 2026-03-28T20:00:00Z"));
            return null;
        }
    }

    /** {@code to} after {@code from}, when both could be read. */
    static void period(Instant from, Instant to, List<Violation> violations) {
        if (from != null && to != null && !to.isAfter(from)) {
            violations.add(new Violation("to", "must be after from"));
        }
    }

    /** A time of day, HH:mm (London time). */
    static LocalTime time(String field, String text, List<Violation> violations) {
        if (text == null || text.isBlank()) {
            violations.add(new Violation(field, "is required (HH:mm, London time)"));
            return null;
        }
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            violations.add(new Violation(field, "is not a time of day HH:mm"));
            return null;
        }
    }

    /** A date, yyyy-mm-dd. */
    static LocalDate date(String field, String text, boolean required, List<Violation> violations) {
        if (text == null || text.isBlank()) {
            if (required) {
                violations.add(new Violation(field, "is required (yyyy-mm-dd)"));
            }
            return null;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            violations.add(new Violation(field, "is not a date yyyy-mm-dd"));
            return null;
        }
    }

    /** Days of the week by name, or 'weekdays', 'weekends', 'every-day' ('daily'). */
    static Set<DayOfWeek> days(List<String> names, List<Violation> violations) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (names == null || names.isEmpty()) {
            violations.add(new Violation("days", "needs at least one day"));
            return days;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "weekdays" -> days.addAll(Rotation.WEEKDAYS);
                case "weekends" -> days.addAll(Rotation.WEEKENDS);
                case "every-day", "daily" -> days.addAll(Rotation.EVERY_DAY);
                default -> {
                    try {
                        days.add(DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        violations.add(new Violation("days[" + i + "]", "is not a day of the week: '"
                                + names.get(i) + "'"));
                    }
                }
            }
        }
        return days;
    }
}
