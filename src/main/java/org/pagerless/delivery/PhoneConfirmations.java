package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.identity.SecretHash;
import org.pagerless.platform.Failures;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Jdbc;
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
    Jdbc jdbc;
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
    public boolean confirmed(String staffId, String phone) {
        return jdbc.queryOne("select 1 from phone_confirmed where staff_id = ? and phone = ?", rs -> Boolean.TRUE,
                staffId, phone).isPresent();
    }

    /**
     * Texts a new code for {@code phone} (the person's number now), replacing any earlier one. 429 with Retry-After
     * if one was sent less than the pause ago; 409 if the number is confirmed already; 503 if texts are not
     * configured or Twilio did not take it.
     */
    public Sent sendCode(String staffId, String phone, Instant now) {
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
        jdbc.update("insert into phone_code (staff_id, phone, code_hash, sent_at, "
                + "expires_at, tries_left) values (?, ?, ?, ?, ?, ?) on conflict (staff_id) do update set "
                + "phone = excluded.phone, code_hash = excluded.code_hash, sent_at = excluded.sent_at, "
                + "expires_at = excluded.expires_at, tries_left = excluded.tries_left",
                staffId, phone, SecretHash.hash(code, SecretHash.CODE_ITERATIONS), now, expires, tries);
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
    public void confirm(String staffId, String phone, String code, Instant now) {
        if (code == null || !code.trim().matches("[0-9]{" + DIGITS + "}")) {
            throw new InvalidRequest("code", "must be the " + DIGITS + " digits texted to your phone");
        }
        // A wrong code is refused after its try is counted (committed); every other refusal writes nothing.
        String wrong = jdbc.transaction(c -> {
            Outstanding sent = Jdbc.query(c, "select code_hash, expires_at, tries_left from phone_code "
                    + "where staff_id = ? and phone = ? for update",
                    rs -> new Outstanding(rs.getString(1), Jdbc.instant(rs, 2), rs.getInt(3)), staffId, phone)
                    .stream().findFirst()
                    .orElseThrow(() -> new InvalidRequest("code", "no code has been texted to this number: ask for one"));
            if (!now.isBefore(sent.expires())) {
                throw new InvalidRequest("code", "has expired: ask for a new one");
            }
            if (sent.left() <= 0) {
                throw new InvalidRequest("code", "was entered wrongly too many times: ask for a new one");
            }
            if (!SecretHash.matches(code.trim(), sent.hash())) {
                Jdbc.update(c, "update phone_code set tries_left = tries_left - 1 where staff_id = ?", staffId);
                return sent.left() - 1 > 0
                        ? "is not the code texted to this number (" + (sent.left() - 1) + " tries left)"
                        : "is not the code texted to this number: ask for a new one";
            }
            Jdbc.update(c, "delete from phone_code where staff_id = ?", staffId);
            markConfirmed(c, staffId, phone, "code", now);
            return null;
        });
        if (wrong != null) {
            throw new InvalidRequest("code", wrong);
        }
    }

    /** The code outstanding for a person and number: its hash, when it expires, how many tries are left. */
    private record Outstanding(String hash, Instant expires, int left) {
    }

    /** The person's number changed to {@code phone}: a code sent for another number lapses. */
    void numberChanged(String staffId, String phone) {
        jdbc.update("delete from phone_code where staff_id = ? and phone <> ?", staffId, phone);
    }

    /** When a code was last texted to this person for this number, if one is outstanding. */
    public Optional<Instant> lastSent(String staffId, String phone) {
        return jdbc.queryOne("select sent_at from phone_code where staff_id = ? and phone = ?",
                rs -> Jdbc.instant(rs, 1), staffId, phone);
    }

    static void markConfirmed(Connection c, String staffId, String phone, String how, Instant now) throws SQLException {
        Jdbc.update(c, "insert into phone_confirmed (staff_id, phone, confirmed_at, how) "
                + "values (?, ?, ?, ?) on conflict (staff_id, phone) do nothing", staffId, phone, now, how);
    }

    private void forgetCode(String staffId) {
        jdbc.update("delete from phone_code where staff_id = ?", staffId);
    }
}
