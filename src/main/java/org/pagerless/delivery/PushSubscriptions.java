package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The browsers each person turned alerts on in (Web Push subscriptions), in PostgreSQL. A retired
 * subscription (the push service said it is gone, or its owner turned it off) is kept for the record
 * and never used again. Times are the app clock's.
 */
@ApplicationScoped
public class PushSubscriptions {
    private static final String COLUMNS = "id, staff_id, endpoint, p256dh, auth, user_agent, created_at, retired_at, "
            + "retired_reason";

    /** One browser's subscription. {@code endpoint} is a capability URL: never logged, never shown to others. */
    public record PushSubscription(UUID id, String staffId, String endpoint, String p256dh, String auth,
                                   String userAgent, Instant createdAt, Instant retiredAt, String retiredReason) {
        public boolean live() {
            return retiredAt == null;
        }
    }

    /** What registering did: the subscription, and whether it is new (201) or the same browser again (200). */
    public record Registered(PushSubscription subscription, boolean created) {
    }

    @Inject
    DataSource dataSource;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "pagerless.delivery.push.max-per-person",
            defaultValue = "5")
    int maxPerPerson;

    /**
     * Registers a browser for this person. The same endpoint again (the app re-registers on every
     * start) refreshes the keys of the live row; an endpoint live for someone else (a shared phone, a
     * new sign-in) is retired from them first: a browser alerts whoever last turned alerts on in it.
     */
    /** Keeps at most {@code keep} live subscriptions of this person: the oldest beyond that are retired. */
    private void retireBeyond(Connection c, String staffId, int keep, Instant now) throws SQLException {
        List<UUID> older = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from push_subscription where staff_id = ? "
                + "and retired_at is null order by created_at desc, id offset ? for update")) {
            ps.setString(1, staffId);
            ps.setInt(2, Math.max(0, keep));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    older.add(rs.getObject(1, UUID.class));
                }
            }
        }
        for (UUID id : older) {
            retire(c, id, "replaced: at most " + maxPerPerson + " browsers per person receive alerts", now);
        }
    }

    public Registered register(String staffId, String endpoint, String p256dh, String auth, String userAgent,
                               Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<PushSubscription> existing = one(c, "where endpoint = ? and retired_at is null for update",
                        endpoint);
                Registered result;
                if (existing.isPresent() && existing.get().staffId().equals(staffId)) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "update push_subscription set p256dh = ?, auth = ?, user_agent = ? where id = ?")) {
                        ps.setString(1, p256dh);
                        ps.setString(2, auth);
                        ps.setString(3, userAgent);
                        ps.setObject(4, existing.get().id());
                        ps.executeUpdate();
                    }
                    result = new Registered(one(c, "where id = ?", existing.get().id()).orElseThrow(), false);
                } else {
                    if (existing.isPresent()) {
                        retire(c, existing.get().id(), "another person turned alerts on in this browser", now);
                    }
                    retireBeyond(c, staffId, maxPerPerson - 1, now);
                    UUID id = UUID.randomUUID();
                    try (PreparedStatement ps = c.prepareStatement("insert into push_subscription (id, staff_id, "
                            + "endpoint, p256dh, auth, user_agent, created_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setObject(1, id);
                        ps.setString(2, staffId);
                        ps.setString(3, endpoint);
                        ps.setString(4, p256dh);
                        ps.setString(5, auth);
                        ps.setString(6, userAgent);
                        ps.setObject(7, Jdbc.utc(now));
                        ps.executeUpdate();
                    }
                    result = new Registered(one(c, "where id = ?", id).orElseThrow(), true);
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The person's subscriptions that may be pushed to. */
    public List<PushSubscription> live(String staffId) throws SQLException {
        return query("where staff_id = ? and retired_at is null order by created_at", staffId);
    }

    /** The live subscriptions of each of these people, oldest first (one query for a dispatcher's whole claim). */
    public java.util.Map<String, List<PushSubscription>> liveOf(java.util.Collection<String> staffIds) throws SQLException {
        java.util.Map<String, List<PushSubscription>> out = new java.util.HashMap<>();
        if (staffIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                + " from push_subscription where staff_id = any(?) and retired_at is null order by created_at")) {
            ps.setArray(1, c.createArrayOf("text", staffIds.stream().distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PushSubscription s = row(rs);
                    out.computeIfAbsent(s.staffId(), k -> new ArrayList<>()).add(s);
                }
            }
        }
        return out;
    }

    /**
     * Which of these people have a live subscription, i.e. could be pushed to at all. The conversation writer asks
     * before planning new-message pushes, so a busy room does not fill the outbox with rows that could only be
     * withdrawn ("no live push subscription").
     */
    public java.util.Set<String> reachable(java.util.Collection<String> staffIds) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (staffIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select distinct staff_id from push_subscription where staff_id = any(?) and retired_at is null")) {
            ps.setArray(1, c.createArrayOf("text", staffIds.toArray()));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The person's subscriptions, live and retired, newest first. */
    public List<PushSubscription> ofStaff(String staffId) throws SQLException {
        return query("where staff_id = ? order by created_at desc limit 50", staffId);
    }

    /** Retires a live subscription for good; false if it was not live. */
    public boolean retire(UUID id, String reason, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return retire(c, id, reason, now);
        }
    }

    /** The owner turns a subscription off; empty if it is not theirs. */
    public Optional<PushSubscription> retireOwn(String staffId, UUID id, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Optional<PushSubscription> found = one(c, "where id = ? and staff_id = ?", id, staffId);
            if (found.isPresent() && found.get().live()) {
                retire(c, id, "turned off by its owner", now);
                return one(c, "where id = ?", id);
            }
            return found;
        }
    }

    private static boolean retire(Connection c, UUID id, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update push_subscription set retired_at = ?, retired_reason = ? "
                + "where id = ? and retired_at is null")) {
            ps.setObject(1, Jdbc.utc(now));
            ps.setString(2, reason);
            ps.setObject(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    private List<PushSubscription> query(String where, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from push_subscription " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<PushSubscription> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static Optional<PushSubscription> one(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from push_subscription " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static PushSubscription row(ResultSet rs) throws SQLException {
        return new PushSubscription(rs.getObject("id", UUID.class), rs.getString("staff_id"), rs.getString("endpoint"),
                rs.getString("p256dh"), rs.getString("auth"), rs.getString("user_agent"), instant(rs, "created_at"),
                instant(rs, "retired_at"), rs.getString("retired_reason"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

}
