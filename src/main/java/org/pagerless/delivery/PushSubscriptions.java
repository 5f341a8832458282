package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
    Jdbc jdbc;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "pagerless.delivery.push.max-per-person",
            defaultValue = "5")
    int maxPerPerson;

    /** Keeps at most {@code keep} live subscriptions of this person: the oldest beyond that are retired. */
    private void retireBeyond(Connection c, String staffId, int keep, Instant now) throws SQLException {
        List<UUID> older = Jdbc.query(c, "select id from push_subscription where staff_id = ? "
                + "and retired_at is null order by created_at desc, id offset ? for update",
                rs -> rs.getObject(1, UUID.class), staffId, Math.max(0, keep));
        for (UUID id : older) {
            retire(c, id, "replaced: at most " + maxPerPerson + " browsers per person receive alerts", now);
        }
    }

    /**
     * Registers a browser for this person. The same endpoint again (the app re-registers on every
     * start) refreshes the keys of the live row; an endpoint live for someone else (a shared phone, a
     * new sign-in) is retired from them first: a browser alerts whoever last turned alerts on in it.
     */
    public Registered register(String staffId, String endpoint, String p256dh, String auth, String userAgent,
                               Instant now) {
        return jdbc.transaction(c -> {
            Optional<PushSubscription> existing = one(c, "where endpoint = ? and retired_at is null for update",
                    endpoint);
            if (existing.isPresent() && existing.get().staffId().equals(staffId)) {
                Jdbc.update(c, "update push_subscription set p256dh = ?, auth = ?, user_agent = ? where id = ?",
                        p256dh, auth, userAgent, existing.get().id());
                return new Registered(one(c, "where id = ?", existing.get().id()).orElseThrow(), false);
            }
            if (existing.isPresent()) {
                retire(c, existing.get().id(), "another person turned alerts on in this browser", now);
            }
            retireBeyond(c, staffId, maxPerPerson - 1, now);
            UUID id = UUID.randomUUID();
            Jdbc.update(c, "insert into push_subscription (id, staff_id, "
                    + "endpoint, p256dh, auth, user_agent, created_at) values (?, ?, ?, ?, ?, ?, ?)",
                    id, staffId, endpoint, p256dh, auth, userAgent, now);
            return new Registered(one(c, "where id = ?", id).orElseThrow(), true);
        });
    }

    /** The person's subscriptions that may be pushed to. */
    public List<PushSubscription> live(String staffId) {
        return query("where staff_id = ? and retired_at is null order by created_at", staffId);
    }

    /** The live subscriptions of each of these people, oldest first (one query for a dispatcher's whole claim). */
    public java.util.Map<String, List<PushSubscription>> liveOf(java.util.Collection<String> staffIds) {
        java.util.Map<String, List<PushSubscription>> out = new java.util.HashMap<>();
        if (staffIds.isEmpty()) {
            return out;
        }
        for (PushSubscription s : jdbc.query("select " + COLUMNS
                + " from push_subscription where staff_id = any(?) and retired_at is null order by created_at",
                PushSubscriptions::row, (Object) staffIds.stream().distinct().toArray(String[]::new))) {
            out.computeIfAbsent(s.staffId(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    /**
     * Which of these people have a live subscription, i.e. could be pushed to at all. The conversation writer asks
     * before planning new-message pushes, so a busy room does not fill the outbox with rows that could only be
     * withdrawn ("no live push subscription").
     */
    public java.util.Set<String> reachable(java.util.Collection<String> staffIds) {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (staffIds.isEmpty()) {
            return out;
        }
        jdbc.forEachRow(
                "select distinct staff_id from push_subscription where staff_id = any(?) and retired_at is null",
                rs -> out.add(rs.getString(1)), (Object) staffIds.toArray(String[]::new));
        return out;
    }

    /** The person's subscriptions, live and retired, newest first. */
    public List<PushSubscription> ofStaff(String staffId) {
        return query("where staff_id = ? order by created_at desc limit 50", staffId);
    }

    /** Retires a live subscription for good; false if it was not live. */
    public boolean retire(UUID id, String reason, Instant now) {
        return jdbc.update(RETIRE, now, reason, id) == 1;
    }

    /** The owner turns a subscription off; empty if it is not theirs. */
    public Optional<PushSubscription> retireOwn(String staffId, UUID id, Instant now) {
        return jdbc.transaction(c -> {
            Optional<PushSubscription> found = one(c, "where id = ? and staff_id = ?", id, staffId);
            if (found.isPresent() && found.get().live()) {
                retire(c, id, "turned off by its owner", now);
                return one(c, "where id = ?", id);
            }
            return found;
        });
    }

    private static final String RETIRE = "update push_subscription set retired_at = ?, retired_reason = ? "
            + "where id = ? and retired_at is null";

    private static boolean retire(Connection c, UUID id, String reason, Instant now) throws SQLException {
        return Jdbc.update(c, RETIRE, now, reason, id) == 1;
    }

    private List<PushSubscription> query(String where, Object... params) {
        return jdbc.query("select " + COLUMNS + " from push_subscription " + where, PushSubscriptions::row, params);
    }

    private static Optional<PushSubscription> one(Connection c, String where, Object... params) throws SQLException {
        return Jdbc.query(c, "select " + COLUMNS + " from push_subscription " + where, PushSubscriptions::row, params)
                .stream().findFirst();
    }

    private static PushSubscription row(ResultSet rs) throws SQLException {
        return new PushSubscription(rs.getObject("id", UUID.class), rs.getString("staff_id"), rs.getString("endpoint"),
                rs.getString("p256dh"), rs.getString("auth"), rs.getString("user_agent"),
                Jdbc.instant(rs, rs.findColumn("created_at")), Jdbc.instant(rs, rs.findColumn("retired_at")),
                rs.getString("retired_reason"));
    }

}
