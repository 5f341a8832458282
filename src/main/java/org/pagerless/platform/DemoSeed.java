package org.pagerless.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The once-only guard of the demo seeders (standalone mode and tests): each seeds its part of the demo hospital in
 * one transaction that also claims the part's {@code demo_seed} row, so kept data is never seeded twice.
 */
public final class DemoSeed {
    private DemoSeed() {
    }

    /** Claims {@code part} in {@code c}'s transaction: true the first time ever, false once it has been seeded. */
    public static boolean claim(Connection c, String part) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into demo_seed (part) values (?) on conflict (part) do nothing")) {
            ps.setString(1, part);
            return ps.executeUpdate() == 1;
        }
    }
}
