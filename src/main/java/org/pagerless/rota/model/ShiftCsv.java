package org.pagerless.rota.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rota CSV format (docs/rota.md): a header {@code role,staff,start,end}, then one shift per line. {@code role}
 * is a role's id, name or bleep number; {@code staff} a staff id; {@code start} and {@code end} local date-times in
 * Europe/London ({@code 2026-03-28 20:00} or {@code 2026-03-28T20:00}), or with an explicit offset
 * ({@code 2026-10-25T01:30+01:00}). Fields may be quoted RFC 4180 style. Blank lines are skipped.
 */
public final class ShiftCsv {
    public static final List<String> HEADER = List.of("role", "staff", "start", "end");
    private static final ZoneId LONDON = Rotation.ZONE;
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]");

    private ShiftCsv() {
    }

    /** Reads every line of {@code text}; nothing is applied, problems are listed by line (1 is the header). */
    public static ShiftImport read(String text, Hospital hospital) {
        ShiftImport.Reader reader = new ShiftImport.Reader(hospital);
        String[] lines = text.split("\r\n|\n|\r", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            reader.problem(1, "header", "the file is empty: expected the header role,staff,start,end");
            return reader.result();
        }
        List<String> header = fields(lines[first].replace("\uFEFF", ""));
        if (header == null || !header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList().equals(HEADER)) {
            reader.problem(first + 1, "header", "must be exactly role,staff,start,end");
            return reader.result();
        }
        for (int i = first + 1; i < lines.length; i++) {
            int line = i + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> f = fields(lines[i]);
            if (f == null) {
                reader.problem(line, "line", "has an unterminated quoted field");
                continue;
            }
            if (f.size() != HEADER.size()) {
                reader.problem(line, "line", "has " + f.size() + " fields; expected 4: role,staff,start,end");
                continue;
            }
            Instant start = instant(reader, line, "start", f.get(2));
            Instant end = instant(reader, line, "end", f.get(3));
            reader.shift(line, "role", f.get(0), "staff", f.get(1), "end", start, end);
        }
        return reader.result();
    }

    private static Instant instant(ShiftImport.Reader reader, int line, String field, String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            reader.problem(line, field, "is required (a London date-time, e.g. 2026-03-28 20:00)");
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            LocalDateTime local;
            try {
                local = value.contains("T") ? LocalDateTime.parse(value) : LocalDateTime.parse(value, SPACED);
            } catch (DateTimeParseException e) {
                reader.problem(line, field, "is not a date-time like 2026-03-28 20:00: '" + value + "'");
                return null;
            }
            if (LONDON.getRules().getValidOffsets(local).isEmpty()) {
                reader.problem(line, field, value + " does not exist in Europe/London (the clocks go forward)");
                return null;
            }
            // An hour that occurs twice takes the earlier offset, as rotations do; give an offset to say otherwise.
            return ZonedDateTime.of(local, LONDON).toInstant();
        }
    }

    /** The fields of one line, RFC 4180 quoting; null when a quote is left open. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(field.toString());
        return out;
    }
}
