package org.pagerless.rota;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.pagerless.platform.Jdbc;
import org.pagerless.rota.RotationResource.RotationDocument;
import org.pagerless.rota.model.Rotation;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code rotation} table: rule-based rotations, expanded on demand by the rota. On each of its days (ISO numbers,
 * Monday 1) from its start date (to its end date), a shift of its role from local start to end time (Europe/London),
 * given to its staff in turn (created_at is the database's).
 */
@ApplicationScoped
public class RotationStore {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Inject
    Jdbc jdbc;

    /** Every rotation that has not ended by {@code now}'s date in London. */
    public Uni<List<RotationDocument>> current(Instant now) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "select id, role_id, name, staff, days, start_time,"
                + " end_time, start_date, end_date from rotation where end_date is null or end_date >= ? order by id",
                rs -> {
                    LocalDate endDate = rs.getObject(9, LocalDate.class);
                    return new RotationDocument(rs.getLong(1), rs.getString(2), rs.getString(3),
                            List.of((String[]) rs.getArray(4).getArray()),
                            Arrays.stream((Object[]) rs.getArray(5).getArray())
                                    .map(d -> DayOfWeek.of(((Number) d).intValue()).name().toLowerCase(Locale.ROOT))
                                    .toList(),
                            rs.getObject(6, LocalTime.class).format(HH_MM),
                            rs.getObject(7, LocalTime.class).format(HH_MM),
                            rs.getObject(8, LocalDate.class).toString(), endDate == null ? null : endDate.toString());
                }, LocalDate.ofInstant(now, Rotation.ZONE)));
    }

    /** Adds a rotation; answers its id. */
    public Uni<Long> add(String roleId, String name, List<String> staff, Set<DayOfWeek> days, LocalTime start,
                         LocalTime end, LocalDate startDate, LocalDate endDate, String by) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "insert into rotation (role_id, name, staff, days,"
                + " start_time, end_time, start_date, end_date, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " returning id", rs -> rs.getLong(1), roleId, name, c.createArrayOf("text", staff.toArray()),
                c.createArrayOf("int2", days.stream().map(d -> (short) d.getValue()).toArray()), start, end,
                startDate, endDate, by).get(0));
    }

    public Uni<Void> delete(long id) {
        return RotaWrites.deleteById(jdbc, "rotation", id, "no rotation " + id);
    }
}
