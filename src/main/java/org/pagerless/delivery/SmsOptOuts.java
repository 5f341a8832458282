package org.pagerless.delivery;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pagerless.platform.Jdbc;

/** Numbers that replied STOP (or turned texts off): no texts to them until START. Calls still ring (ADR 0012). */
@ApplicationScoped
public class SmsOptOuts {
    @Inject
    Jdbc jdbc;

    public boolean optedOut(String phone) {
        return jdbc.queryOne("select 1 from sms_opt_out where phone = ?", rs -> Boolean.TRUE, phone).isPresent();
    }

    public void optOut(String phone, Instant now) {
        jdbc.update("insert into sms_opt_out (phone, at) values (?, ?) on conflict do nothing", phone, now);
    }

    public void optIn(String phone) {
        jdbc.update("delete from sms_opt_out where phone = ?", phone);
    }
}
