package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import org.pagerless.platform.Jdbc;
import org.pagerless.rota.ReferenceData;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A person's mobile number for texts: the one they set themselves (table {@code contact}), else the one on
 * their staff record. One number belongs to one person, so an inbound text always names one sender.
 */
@ApplicationScoped
public class Contacts {
    @Inject
    Jdbc jdbc;
    @Inject
    ReferenceData referenceData;

    /** Where a person's number came from: set by them, or the staff record. */
    public enum Source { SELF, STAFF_RECORD }

    /** A person's number and where it came from. */
    public record Phone(String number, Source source) {
    }

    public Optional<String> phoneOf(String staffId) {
        return phone(staffId).map(Phone::number);
    }

    public Optional<Phone> phone(String staffId) {
        Optional<String> own = own(staffId);
        if (own.isPresent()) {
            return Optional.of(new Phone(own.get(), Source.SELF));
        }
        return referenceData.phoneOf(staffId).map(p -> new Phone(p, Source.STAFF_RECORD));
    }

    /** Who has this number now: the person who set it, else the staff record that carries it (unless replaced). */
    public Optional<String> staffWithPhone(String phone) {
        Optional<String> own = jdbc.queryOne("select staff_id from contact where phone = ?", rs -> rs.getString(1),
                phone);
        if (own.isPresent()) {
            return own;
        }
        Optional<String> onRecord = referenceData.staffWithPhone(phone);
        if (onRecord.isPresent() && own(onRecord.get()).isPresent()) {
            return Optional.empty(); // they have moved to another number
        }
        return onRecord;
    }

    /**
     * Sets a person's own number. False when another person has it (their own or on their staff record):
     * a number answering for two people could accept a page for the wrong one.
     */
    public boolean set(String staffId, String phone, Instant now) {
        Optional<String> holder = staffWithPhone(phone);
        if (holder.isPresent() && !holder.get().equals(staffId)) {
            return false;
        }
        try {
            jdbc.update("insert into contact (staff_id, phone, updated_at) values (?, ?, ?) "
                    + "on conflict (staff_id) do update set phone = excluded.phone, updated_at = excluded.updated_at",
                    staffId, phone, now);
            return true;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return false; // someone took it at the same moment
            }
            throw e;
        }
    }

    /** Forgets a person's own number: texts go to the one on their staff record again (if any). */
    public void clear(String staffId) {
        jdbc.update("delete from contact where staff_id = ?", staffId);
    }

    private Optional<String> own(String staffId) {
        return jdbc.queryOne("select phone from contact where staff_id = ?", rs -> rs.getString(1), staffId);
    }
}
