package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.identity.SecretHash;
import org.pagerless.platform.Failures;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.TooManyRequests;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Confirming a mobile number before it receives pages: a six-digit code is texted to the number and the person
 * enters it in the app. A confirmation holds for one person and one number ({@code phone_confirmed}), so a new number
 * (set by the person or on their staff record) is unconfirmed until its own code is entered; a text or call to an
 * unconfirmed number is not sent and its delivery fails as "number not confirmed" (the dispatcher asks
 * {@link #confirmed}). Codes are kept only as PBKDF2 hashes, expire, allow a few tries, and a new one can be asked for
 * only after a pause. The code text carries no patient data and is sent at once (the person is waiting for it), not
 * through the outbox: if Twilio cannot take it the request fails and the person asks again.
 */
@ApplicationScoped
public class PhoneConfirmations {
    private static final Logger LOG = Logger.getLogger(PhoneConfirmations.class);
    /** The delivery outcome of a page to an unconfirmed number (shown on the board and in the history). */
    public static final String NOT_CONFIRMED = "number not confirmed: the code texted to it has not been entered";
    static final int DIGITS = 6;

    @Inject
    DataSource dataSource;
    @Inject
    TwilioSms sms;

    @ConfigProperty(name = "pagerless.delivery.phone-code.valid-for", defaultValue = "10m")
    Duration validFor;
    @ConfigProperty(name = "pagerless.delivery.phone-code.tries", defaultValue = "5")
    int tries;
    @ConfigProperty(name = "pagerless.delivery.phone-code.resend-after", defaultValue = "60s")
    Duration resendAfter;

    /** A code was texted: to which number, and until when it can be entered. */
    public record Sent(String phone, Instant expiresAt) {
    }

    /** Whether {@code staffId} has confirmed {@code phone} (by a code, or it predates confirmation, or is the demo's). */
    public boolean confirmed(String staffId, String phone) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from phone_confirmed where staff_id = ? and phone = ?")) {
            ps.setString(1, staffId);
            ps.setString(2, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Texts a new code for {@code phone} (the person's number now), replacing any earlier one. 429 with Retry-After
     * if one was sent less than the pause ago; 409 if the number is confirmed already; 503 if texts are not
     * configured or Twilio did not take it.
     */
    public Sent sendCode(String staffId, String phone, Instant now) throws SQLException {
        if (confirmed(staffId, phone)) {
            throw ProblemException.conflict("this number is confirmed already");
        }
        if (!sms.enabled()) {
            throw new ProblemException(503, "Service unavailable",
                    "texts are not configured here, so a number cannot be confirmed");
        }
        Optional<Instant> lastSent = lastSent(staffId, phone);
        if (lastSent.isPresent() && lastSent.get().plus(resendAfter).isAfter(now)) {
            throw new TooManyRequests("a code was texted to this number less than " + resendAfter.toSeconds()
                    + " s ago", Duration.between(now, lastSent.get().plus(resendAfter)));
        }
        String code = SecretHash.newCode(DIGITS);
        Instant expires = now.plus(validFor);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into phone_code (staff_id, phone, code_hash, sent_at, "
                     + "expires_at, tries_left) values (?, ?, ?, ?, ?, ?) on conflict (staff_id) do update set "
                     + "phone = excluded.phone, code_hash = excluded.code_hash, sent_at = excluded.sent_at, "
                     + "expires_at = excluded.expires_at, tries_left = excluded.tries_left")) {
            ps.setString(1, staffId);
            ps.setString(2, phone);
            ps.setString(3, SecretHash.hash(code, SecretHash.CODE_ITERATIONS));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(expires));
            ps.setInt(6, tries);
            ps.executeUpdate();
        }
        try {
            sms.send(phone, "Pagerless code " + code + ": enter it in the Pagerless app to get pages on this phone. "
                    + "It expires in " + validFor.toMinutes() + " min.", validFor);
        } catch (RuntimeException e) {
            forgetCode(staffId); // never sent: asking again at once must not be refused as too soon
            LOG.warnf("a confirmation code could not be texted: %s", Failures.describe(e));
            throw new ProblemException(503, "Service unavailable", "the code could not be texted now; ask again");
        }
        return new Sent(phone, expires);
    }

    /**
     * Confirms {@code phone} for {@code staffId} if {@code code} is the one last texted to it, in time and within the
     * tries; otherwise 400 naming {@code code} and why (wrong, with the tries left; expired; none sent).
     */
    public void confirm(String staffId, String phone, String code, Instant now) throws SQLException {
        if (code == null || !code.trim().matches("[0-9]{" + DIGITS + "}")) {
            throw new InvalidRequest("code", "must be the " + DIGITS + " digits texted to your phone");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select code_hash, expires_at, tries_left from phone_code "
                    + "where staff_id = ? and phone = ? for update")) {
                ps.setString(1, staffId);
                ps.setString(2, phone);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        throw new InvalidRequest("code", "no code has been texted to this number: ask for one");
                    }
                    String hash = rs.getString(1);
                    Instant expires = rs.getTimestamp(2).toInstant();
                    int left = rs.getInt(3);
                    if (!now.isBefore(expires)) {
                        c.rollback();
                        throw new InvalidRequest("code", "has expired: ask for a new one");
                    }
                    if (left <= 0) {
                        c.rollback();
                        throw new InvalidRequest("code", "was entered wrongly too many times: ask for a new one");
                    }
                    if (!SecretHash.matches(code.trim(), hash)) {
                        execute(c, "update phone_code set tries_left = tries_left - 1 where staff_id = ?", staffId);
                        c.commit();
                        throw new InvalidRequest("code", left - 1 > 0
                                ? "is not the code texted to this number (" + (left - 1) + " tries left)"
                                : "is not the code texted to this number: ask for a new one");
                    }
                }
            }
            execute(c, "delete from phone_code where staff_id = ?", staffId);
            markConfirmed(c, staffId, phone, "code", now);
            c.commit();
        }
    }

    /** The person's number changed to {@code phone}: a code sent for another number lapses. */
    void numberChanged(String staffId, String phone) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from phone_code where staff_id = ? and phone <> ?")) {
            ps.setString(1, staffId);
            ps.setString(2, phone);
            ps.executeUpdate();
        }
    }

    /** When a code was last texted to this person for this number, if one is outstanding. */
    public Optional<Instant> lastSent(String staffId, String phone) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select sent_at from phone_code where staff_id = ? and phone = ?")) {
            ps.setString(1, staffId);
            ps.setString(2, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    static void markConfirmed(Connection c, String staffId, String phone, String how, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into phone_confirmed (staff_id, phone, confirmed_at, how) "
                + "values (?, ?, ?, ?) on conflict (staff_id, phone) do nothing")) {
            ps.setString(1, staffId);
            ps.setString(2, phone);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, how);
            ps.executeUpdate();
        }
    }

    private void forgetCode(String staffId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            execute(c, "delete from phone_code where staff_id = ?", staffId);
        }
    }

    private static void execute(Connection c, String sql, String staffId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, staffId);
            ps.executeUpdate();
        }
    }
}
