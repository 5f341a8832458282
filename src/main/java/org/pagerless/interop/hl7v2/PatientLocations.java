package org.pagerless.interop.hl7v2;

import java.time.Instant;
import java.util.Optional;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Each patient's current ward and bed, as the ADT feed last said. Owned by interop. */
@ApplicationScoped
public class PatientLocations {
    /** Where a patient is: a ward id and, if known, a bed. */
    public record Where(String wardId, String bed) {
    }

    @Inject
    Jdbc jdbc;

    public Optional<Where> of(String nhsNumber) {
        return jdbc.queryOne("select ward_id, bed from patient_location where nhs_number = ?",
                rs -> new Where(rs.getString(1), rs.getString(2)), nhsNumber);
    }

    void place(String nhsNumber, Where where, String messageId, Instant now) {
        jdbc.update("insert into patient_location (nhs_number, ward_id, bed, updated_at, message_id) values (?, ?, ?, ?, ?)"
                + " on conflict (nhs_number) do update set ward_id = excluded.ward_id, bed = excluded.bed,"
                + " updated_at = excluded.updated_at, message_id = excluded.message_id",
                nhsNumber, where.wardId(), where.bed(), now, messageId);
    }

    void forget(String nhsNumber) {
        jdbc.update("delete from patient_location where nhs_number = ?", nhsNumber);
    }
}
