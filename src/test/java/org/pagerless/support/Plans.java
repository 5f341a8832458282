package org.pagerless.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What PostgreSQL did for a statement of ours: its plan, run, with the blocks each step read (the plan-shape tests). */
public final class Plans {
    private Plans() {
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    public interface Binding {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** {@code explain (analyze, buffers, format json)} of {@code sql} as {@code binding} binds it: the one plan. */
    public static JsonNode explain(Connection c, String sql, Binding binding) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("explain (analyze, buffers, format json) " + sql)) {
            binding.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new ObjectMapper().readTree(rs.getString(1)).get(0);
            }
        }
    }
}
