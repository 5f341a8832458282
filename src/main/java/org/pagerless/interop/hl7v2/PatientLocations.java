package org.pagerless.interop.hl7v2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Each patient's current ward and bed, as the ADT feed last said. Owned by interop. */
@ApplicationScoped
public class PatientLocations {
    /** Where a patient is: a ward id and, if known, a bed. */
    public record Where(String wardId, String bed) {
    }

    @Inject
    DataSource dataSource;

    public Optional<Where> of(String nhsNumber) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select ward_id, bed from patient_location where nhs_number = ?")) {
            ps.setString(1, nhsNumber);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Where(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read patient location", e);
        }
    }

    void place(String nhsNumber, Where where, String messageId, Instant now) {
        update("insert into patient_location (nhs_number, ward_id, bed, updated_at, message_id) values (?, ?, ?, ?, ?)"
                + " on conflict (nhs_number) do update set ward_id = excluded.ward_id, bed = excluded.bed,"
                + " updated_at = excluded.updated_at, message_id = excluded.message_id",
                nhsNumber, where.wardId(), where.bed(), Timestamp.from(now), messageId);
    }

    void forget(String nhsNumber) {
        update("delete from patient_location where nhs_number = ?", nhsNumber);
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write patient location", e);
        }
    }
}
