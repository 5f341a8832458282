package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * When each phone number was last texted (table {@code sms_rate}), for the per-number SMS rate limit.
 * Taking a window is one conditional upsert, so two dispatchers (pods) never both text a number inside
 * the same window; a stat text takes it unconditionally (it is never held).
 */
@ApplicationScoped
public class SmsRate {
    @Inject
    Jdbc jdbc;

    /** When this number was last texted, if ever. */
    public Optional<Instant> lastTexted(String phone) {
        return jdbc.queryOne("select last_sent_at from sms_rate where phone = ?", rs -> Jdbc.instant(rs, 1), phone);
    }

    /**
     * Takes the number's window at {@code now} if it is free (never texted, last texted at least {@code window}
     * ago, or — clock skew — "last texted" in the future). False: someone else texted it meanwhile.
     */
    public boolean take(String phone, Instant now, Duration window) {
        return jdbc.update("insert into sms_rate (phone, last_sent_at) values (?, ?) "
                + "on conflict (phone) do update set last_sent_at = excluded.last_sent_at "
                + "where sms_rate.last_sent_at <= ? or sms_rate.last_sent_at > ?", phone, now, now.minus(window), now)
                == 1;
    }

    /** Records a text that goes whatever the limit (stat): it starts the window for the others. */
    public void force(String phone, Instant now) {
        jdbc.update("insert into sms_rate (phone, last_sent_at) values (?, ?) "
                + "on conflict (phone) do update set last_sent_at = excluded.last_sent_at", phone, now);
    }

    /** Gives the window back after a send that failed, so the retry is not held for it. */
    public void release(String phone, Instant takenAt) {
        jdbc.update("delete from sms_rate where phone = ? and last_sent_at = ?", phone, takenAt);
    }

}
