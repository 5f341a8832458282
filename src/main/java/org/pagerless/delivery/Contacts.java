package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.pagerless.platform.ArraySlots;
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

    /**
     * Where a text or call to one person goes, and what stops it: their number (null: none on record), whether they
     * confirmed it ({@link PhoneConfirmations#confirmed}), whether it replied STOP ({@link SmsOptOuts#optedOut}) and
     * when it was last texted ({@link SmsRate#lastTexted}).
     */
    public record Reach(String phone, boolean confirmed, boolean optedOut, Optional<Instant> lastTexted) {
    }

    /** {@link #reach}'s statement, its two arrays (people, the number on their staff record) in {@link ArraySlots}. */
    static final String REACH = "with p as (select s.staff_id, coalesce(c.phone, s.on_record) as phone from "
            + "unnest(%s, %s) as s(staff_id, on_record) left join contact c on c.staff_id = s.staff_id "
            + "where s.staff_id is not null) select p.staff_id, p.phone, exists (select 1 from phone_confirmed f "
            + "where f.staff_id = p.staff_id and f.phone = p.phone), exists (select 1 from sms_opt_out o "
            + "where o.phone = p.phone), (select r.last_sent_at from sms_rate r where r.phone = p.phone) from p";

    /**
     * {@link Reach} for each of these people, in one statement however many there are (a dispatcher's whole claim of
     * texts or calls): the same answers as {@link #phoneOf}, {@link PhoneConfirmations#confirmed},
     * {@link SmsOptOuts#optedOut} and {@link SmsRate#lastTexted} give one at a time.
     */
    public java.util.Map<String, Reach> reach(java.util.Collection<String> staffIds) {
        java.util.Map<String, Reach> out = new java.util.HashMap<>();
        List<String> ids = staffIds.stream().distinct().toList();
        if (ids.isEmpty()) {
            return out;
        }
        String[] onRecord = ids.stream().map(id -> referenceData.phoneOf(id).orElse(null)).toArray(String[]::new);
        // One auto-committed read: a transaction around it would only add its commit's round trip.
        List<java.util.Map.Entry<String, Reach>> rows = jdbc.query(ArraySlots.sql(REACH, ids.size(), "text", "text"),
                rs -> java.util.Map.entry(rs.getString(1), new Reach(rs.getString(2), rs.getBoolean(3),
                        rs.getBoolean(4), Optional.ofNullable(Jdbc.instant(rs, 5)))),
                ArraySlots.params(ids.size(), ids.toArray(), onRecord));
        rows.forEach(r -> out.put(r.getKey(), r.getValue()));
        return out;
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
