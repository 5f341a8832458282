package org.pagerless.rota;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Rotation;
import org.pagerless.rota.model.Shift;
import org.pagerless.rota.model.ShiftImport;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.CalendarComponent;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;

/**
 * The rota as iCalendar (RFC 5545), through ical4j. Reading: each VEVENT is a shift from DTSTART to DTEND (or
 * DTSTART + DURATION), in UTC ({@code 20260328T200000Z}), with a TZID ({@code TZID=Europe/London}) or floating (taken
 * as London time); the role is its {@code X-PAGERLESS-ROLE} (id, name or bleep) and the member of staff its
 * {@code X-PAGERLESS-STAFF}, either of which a whole-file default may stand in for. Writing: one VEVENT per stint
 * actually held, in UTC, carrying the same two properties, so an export imports back to the same shifts.
 */
final class RotaCalendar {
    static final String ROLE = "X-PAGERLESS-ROLE";
    static final String STAFF = "X-PAGERLESS-STAFF";

    private RotaCalendar() {
    }

    /** Reads every VEVENT of {@code text}; problems are reported at the line of the event's BEGIN:VEVENT. */
    static ShiftImport read(String text, Hospital hospital, String defaultRole, String defaultStaff) {
        ShiftImport.Reader reader = new ShiftImport.Reader(hospital);
        Calendar calendar;
        try {
            calendar = new CalendarBuilder().build(new StringReader(text));
        } catch (ParserException e) {
            reader.problem(Math.max(1, e.getLineNo()), "calendar", "is not valid iCalendar: "
                    + String.valueOf(e.getMessage()).replaceFirst("^Error at line \\d+:", "").trim());
            return reader.result();
        } catch (IOException | RuntimeException e) {
            reader.problem(1, "calendar", "is not valid iCalendar");
            return reader.result();
        }
        List<Integer> lines = eventLines(text);
        int index = 0;
        for (CalendarComponent component : calendar.getComponents()) {
            if (!(component instanceof VEvent event)) {
                continue;
            }
            int line = index < lines.size() ? lines.get(index) : 1;
            index++;
            if (value(event, Property.STATUS).map(s -> s.equalsIgnoreCase("CANCELLED")).orElse(false)) {
                continue;
            }
            Instant start = instant(reader, line, event, Property.DTSTART, true);
            Instant end = null;
            if (event.getProperty(Property.DTEND).isPresent()) {
                end = instant(reader, line, event, Property.DTEND, true);
            } else if (event.getProperty(Property.DURATION).isPresent()) {
                try {
                    var duration = ((net.fortuna.ical4j.model.property.Duration) event.getProperty(Property.DURATION)
                            .get()).getDuration();
                    end = start == null ? null : start.plus(duration);
                } catch (RuntimeException e) {
                    reader.problem(line, Property.DURATION, "is not a duration such as PT12H");
                }
            } else {
                reader.problem(line, Property.DTEND, "is required (or DURATION)");
            }
            String role = value(event, ROLE).orElse(defaultRole);
            String staff = value(event, STAFF).orElse(defaultStaff);
            reader.shift(line, ROLE, role, STAFF, staff, Property.DTEND, start, end);
        }
        return reader.result();
    }

    /** The stints as a calendar named {@code name}, stamped {@code now}. */
    static String write(String name, List<Shift> stints, Hospital hospital, Instant now) {
        Calendar calendar = new Calendar().withProdId("-//Pagerless//Rota//EN").withDefaults().getFluentTarget();
        calendar.add(new XProperty("X-WR-CALNAME", name));
        for (Shift s : stints) {
            var role = hospital.role(s.roleId());
            String roleName = role.map(r -> r.name()).orElse(s.roleId());
            String who = hospital.staff(s.staffId()).map(p -> p.displayName()).orElse(s.staffId());
            VEvent event = new VEvent(s.startsAt(), s.endsAt(), roleName + ": " + who);
            event.replace(new DtStamp(now));
            event.add(new Uid(s.roleId() + "/" + s.staffId() + "/" + s.startsAt().getEpochSecond() + "@pagerless"));
            role.map(r -> r.bleep()).filter(b -> b != null).ifPresent(b -> event.add(new Description("Bleep " + b)));
            event.add(new XProperty(ROLE, s.roleId()));
            event.add(new XProperty(STAFF, s.staffId()));
            calendar.add(event);
        }
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static Optional<String> value(VEvent event, String name) {
        return event.getProperty(name).map(Property::getValue).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Instant instant(ShiftImport.Reader reader, int line, VEvent event, String name, boolean required) {
        Optional<Property> property = event.getProperty(name);
        if (property.isEmpty()) {
            if (required) {
                reader.problem(line, name, "is required");
            }
            return null;
        }
        Temporal date;
        try {
            date = ((DateProperty<?>) property.get()).getDate();
        } catch (RuntimeException e) {
            reader.problem(line, name, "is not a date-time");
            return null;
        }
        if (date instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (date instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (date instanceof Instant i) {
            return i;
        }
        if (date instanceof LocalDateTime local) {
            // A floating time is the hospital's: London. An hour that does not exist is refused, as in CSV.
            if (Rotation.ZONE.getRules().getValidOffsets(local).isEmpty()) {
                reader.problem(line, name, local + " does not exist in Europe/London (the clocks go forward)");
                return null;
            }
            return local.atZone(Rotation.ZONE).toInstant();
        }
        if (date instanceof LocalDate) {
            reader.problem(line, name, "is a whole day; a shift needs a time (e.g. 20260328T200000Z)");
            return null;
        }
        reader.problem(line, name, "is not a date-time");
        return null;
    }

    /** The 1-based physical line of each BEGIN:VEVENT, in order (folded lines start with a space, so never match). */
    private static List<Integer> eventLines(String text) {
        List<Integer> lines = new ArrayList<>();
        String[] physical = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < physical.length; i++) {
            if (physical[i].trim().toUpperCase(Locale.ROOT).equals("BEGIN:VEVENT")) {
                lines.add(i + 1);
            }
        }
        return lines;
    }
}
