package org.pagerless.rota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.RotationResource.RotationDocument;
import org.pagerless.rota.model.Rotation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The {@code rotation} table: rule-based rotations, expanded on demand by the rota. */
@ApplicationScoped
public class RotationStore {

    @Inject
    Jdbc jdbc;

    /** Every rotation that has not ended by {@code now}'s date in London. */
    public List<RotationDocument> current(Instant now) {
        return jdbc.query("select id, role_id, name, staff, days, start_time, end_time, start_date, end_date"
                + " from rotation where end_date is null or end_date >= ? order by id", rs -> {
                    List<String> days = new ArrayList<>();
                    for (Object day : (Object[]) rs.getArray(5).getArray()) {
                        days.add(DayOfWeek.of(((Number) day).intValue()).name().toLowerCase(Locale.ROOT));
                    }
                    return new RotationDocument(rs.getLong(1), rs.getString(2), rs.getString(3),
                            List.of((String[]) rs.getArray(4).getArray()), days, rs.getString(6).substring(0, 5),
                            rs.getString(7).substring(0, 5), rs.getString(8), rs.getString(9));
                }, LocalDate.ofInstant(now, Rotation.ZONE));
    }

    /** Adds a rotation; answers its id. */
    public long add(String roleId, String name, List<String> staff, Set<DayOfWeek> days, LocalTime start,
                    LocalTime end, LocalDate startDate, LocalDate endDate, String by) {
        return jdbc.transaction(c -> {
            return insert(c, roleId, name, staff, days, start, end, startDate, endDate, by);
        });
    }

    public void delete(long id) {
        if (jdbc.update("delete from rotation where id = ?", id) == 0) {
            throw ProblemException.notFound("no rotation " + id);
        }
    }

    private static long insert(Connection c, String roleId, String name, List<String> staff, Set<DayOfWeek> days,
                               LocalTime start, LocalTime end, LocalDate startDate, LocalDate endDate, String by)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into rotation (role_id, name, staff, days, start_time, end_time, start_date, end_date,"
                        + " created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id")) {
            ps.setString(1, roleId);
            ps.setString(2, name);
            ps.setArray(3, c.createArrayOf("text", staff.toArray()));
            ps.setArray(4, c.createArrayOf("int2", days.stream().map(d -> (short) d.getValue()).toArray()));
            ps.setObject(5, start);
            ps.setObject(6, end);
            ps.setObject(7, startDate);
            ps.setObject(8, endDate);
            ps.setString(9, by);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
