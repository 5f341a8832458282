package org.pagerless.rota.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an import file says, read but not yet applied: the shifts with the line each came from, and every problem
 * found, line by line. An import with any problem is applied not at all.
 */
public record ShiftImport(List<Row> shifts, List<LineProblem> problems) {

    /** The longest explicit shift accepted: a week of consultant on-call and then some. */
    public static final Duration LONGEST_SHIFT = Duration.ofDays(14);

    /** A shift read from {@code line} (1-based) of the file. */
    public record Row(int line, Shift shift) {
    }

    /** What is wrong on {@code line} (1-based), in which field, and why. */
    public record LineProblem(int line, String field, String reason) {
    }

    public ShiftImport {
        shifts = List.copyOf(shifts);
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** Collects rows and problems while a file is read. */
    public static final class Reader {
        private final Hospital hospital;
        private final List<Row> rows = new ArrayList<>();
        private final List<LineProblem> problems = new ArrayList<>();

        public Reader(Hospital hospital) {
            this.hospital = hospital;
        }

        public void problem(int line, String field, String reason) {
            problems.add(new LineProblem(line, field, reason));
        }

        /**
         * Checks one shift and keeps it when it is sound: the role is known (by id, name or bleep number), the member
         * of staff is known, and it ends after it starts and within {@link #LONGEST_SHIFT}. A null start or end
         * means the reader already reported it.
         */
        public void shift(int line, String roleField, String role, String staffField, String staff, String endField,
                Instant start, Instant end) {
            int before = problems.size();
            Optional<Role> known = Optional.empty();
            if (role == null || role.isBlank()) {
                problem(line, roleField, "is required");
            } else {
                known = hospital.role(role.trim()).or(() -> hospital.roleByBleep(role.trim()));
                if (known.isEmpty()) {
                    problem(line, roleField, "no role '" + role.trim() + "'");
                }
            }
            if (staff == null || staff.isBlank()) {
                problem(line, staffField, "is required");
            } else if (hospital.staff(staff.trim()).isEmpty()) {
                problem(line, staffField, "no member of staff '" + staff.trim() + "'");
            }
            if (start != null && end != null) {
                if (!end.isAfter(start)) {
                    problem(line, endField, "must be after the start");
                } else if (Duration.between(start, end).compareTo(LONGEST_SHIFT) > 0) {
                    problem(line, endField, "makes the shift longer than " + LONGEST_SHIFT.toDays() + " days");
                }
            }
            if (problems.size() == before && start != null && end != null) {
                rows.add(new Row(line, new Shift(known.get().id(), staff.trim(), start, end)));
            }
        }

        public ShiftImport result() {
            return new ShiftImport(rows, problems);
        }
    }
}
