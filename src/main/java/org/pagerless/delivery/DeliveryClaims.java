package org.pagerless.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Claims on the delivery outbox: which dispatcher sends which row. A claim marks due rows {@code sending} and bumps each
 * one's fencing token ({@code claim}); a dispatcher records an outcome only while it holds the row's current claim, so a
 * claimant whose claim expired can never overwrite the next one. Rows left in {@code sending} past the deadline are
 * claimed again (ADR 0007).
 */
@ApplicationScoped
public class DeliveryClaims {

    @Inject
    DataSource dataSource;

    /**
     * Claims up to {@code limit} due deliveries on {@code channel} for this dispatcher ({@code FOR UPDATE SKIP
     * LOCKED}, so several pods never claim the same row), marks them {@code sending} and bumps each one's fencing
     * token. Rows left in {@code sending} longer than {@code stuckAfter} (a pod died or stalled mid-send) are claimed
     * again; for texts and calls the send may have reached Twilio, so such a row is marked unsure since its last
     * claim and is reconciled before anything is sent again.
     */
    public List<Delivery> claimDue(Channel channel, Instant now, java.time.Duration stuckAfter, int limit)
            throws SQLException {
        if (limit <= 0) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Delivery> claimed = new ArrayList<>();
                List<Boolean> reclaimed = new ArrayList<>();
                // Three claims, each on its own partial index (V26, V115): rows stuck in sending first, then due
                // stat rows (stat first in every channel), then any due rows.
                String[] which = {"status = 'sending' and updated_at <= ? order by updated_at",
                    "status = 'pending' and priority = 'stat' and due_at <= ? order by due_at",
                    "status = 'pending' and due_at <= ? order by due_at"};
                for (int w = 0; w < which.length && claimed.size() < limit; w++) {
                    try (PreparedStatement ps = c.prepareStatement("with due as (select id, status as was from "
                            + "delivery where channel = ? and " + which[w] + " limit ? for update skip locked) "
                            + "update delivery d set status = 'sending', claim = d.claim + 1, updated_at = ?, "
                            + "reason = case when due.was = 'sending' then ? end, unsure_since = case "
                            + "when due.was = 'sending' and d.channel in ('sms', 'voice') "
                            + "then coalesce(d.unsure_since, d.updated_at) else d.unsure_since end "
                            + "from due where d.id = due.id returning due.was, "
                            + DeliveryRows.COLUMNS.replaceAll("(^|, )", "$1d."))) {
                        ps.setString(1, channel.code());
                        ps.setObject(2, Jdbc.utc(w == 0 ? now.minus(stuckAfter) : now));
                        ps.setInt(3, limit - claimed.size());
                        ps.setObject(4, Jdbc.utc(now));
                        ps.setString(5, RECLAIMED);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                claimed.add(DeliveryRows.row(rs));
                                reclaimed.add("sending".equals(rs.getString("was")));
                            }
                        }
                    }
                }
                try (PreparedStatement history = c.prepareStatement("insert into delivery_status_history "
                        + "(delivery_id, status, reason, at) values (?, 'sending', ?, ?)")) {
                    for (int i = 0; i < claimed.size(); i++) {
                        history.setObject(1, claimed.get(i).id());
                        history.setString(2, reclaimed.get(i) ? RECLAIMED : null);
                        history.setObject(3, Jdbc.utc(now));
                        history.addBatch();
                    }
                    history.executeBatch();
                }
                c.commit();
                claimed.sort(java.util.Comparator.comparing((Delivery d) -> !"stat".equals(d.priority()))
                        .thenComparing(Delivery::dueAt));
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static final String RECLAIMED = "reclaimed after the sending deadline";

    /** When the next delivery on one of {@code channels} falls due (a pending row, or a sending row's deadline). */
    public Optional<Instant> nextDue(java.util.Collection<Channel> channels, java.time.Duration stuckAfter)
            throws SQLException {
        if (channels.isEmpty()) {
            return Optional.empty();
        }
        String[] codes = channels.stream().map(Channel::code).toArray(String[]::new);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select least((select min(due_at) from delivery where "
                     + "status = 'pending' and channel = any (?)), (select min(updated_at) from delivery where "
                     + "status = 'sending' and channel = any (?)) + ?::interval)")) {
            ps.setObject(1, codes);
            ps.setObject(2, codes);
            ps.setString(3, stuckAfter.toMillis() + " milliseconds");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(Jdbc.instant(rs, 1));
            }
        }
    }

    /** Whether {@code d}'s claim is still the row's current one (checked just before a text or call goes). */
    public boolean holds(Delivery d) throws SQLException {
        return !query("where id = ? and claim = ? and status = 'sending'", d.id(), d.claim()).isEmpty();
    }

    /** Provider sids already recorded on this person's other rows of the same task and channel. */
    public java.util.Set<String> sidsOfOtherRows(Delivery d) throws SQLException {
        java.util.Set<String> sids = new java.util.HashSet<>();
        for (Delivery other : query("where task_id = ? and staff_id = ? and channel = ? and id <> ? "
                + "and provider_id is not null", d.taskId(), d.staffId(), d.channel().code(), d.id())) {
            sids.add(other.providerId());
        }
        return sids;
    }

    /** Withdraws a claimed delivery that need not go (no attempt made): {@link #finish} with its due time kept. */
    public boolean withdraw(Delivery d, String reason, Instant now) throws SQLException {
        return finish(d, DeliveryStatus.WITHDRAWN, reason, now, null, null, d.attempts(), d.dueAt(), null);
    }

    /**
     * Records the outcome of a send (or a withdrawal) on a claimed delivery, if {@code d}'s claim is still the
     * row's current one; returns false (and changes nothing) if another claimant has taken the row since. A status
     * a callback has meanwhile moved past {@code status} is kept (never moved back); the address and provider sid
     * are recorded all the same, and status callbacks that came for that sid before it was recorded are applied.
     * {@code unsureSince}: null when the outcome is known; otherwise the instant from which Twilio may hold it.
     */
    public boolean finish(Delivery d, DeliveryStatus status, String reason, Instant now, String address,
                          String providerId, int attempts, Instant dueAt, Instant unsureSince) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (providerId != null) {
                    EarlyCallbacks.lockSid(c, providerId);
                }
                DeliveryStatus current;
                try (PreparedStatement ps = c.prepareStatement(
                        "select status from delivery where id = ? and claim = ? for update")) {
                    ps.setObject(1, d.id());
                    ps.setLong(2, d.claim());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return false;
                        }
                        current = DeliveryStatus.fromCode(rs.getString(1)).orElseThrow();
                    }
                }
                boolean moves = current.canMoveTo(status);
                try (PreparedStatement ps = c.prepareStatement("update delivery set status = ?, reason = "
                        + (moves ? "?" : "coalesce(?, reason)") + ", updated_at = ?, address = coalesce(?, address), "
                        + "provider_id = coalesce(?, provider_id), attempts = ?, due_at = ?, unsure_since = "
                        + (unsureSince == null ? "null" : "coalesce(unsure_since, ?)")
                        + " where id = ? and claim = ?")) {
                    int i = 1;
                    ps.setString(i++, (moves ? status : current).code());
                    ps.setString(i++, moves ? reason : null);
                    ps.setObject(i++, Jdbc.utc(now));
                    ps.setString(i++, address);
                    ps.setString(i++, providerId);
                    ps.setInt(i++, attempts);
                    ps.setObject(i++, Jdbc.utc(moves ? dueAt : d.dueAt()));
                    if (unsureSince != null) {
                        ps.setObject(i++, Jdbc.utc(unsureSince));
                    }
                    ps.setObject(i++, d.id());
                    ps.setLong(i, d.claim());
                    ps.executeUpdate();
                }
                if (moves) {
                    DeliveryRows.history(c, d.id(), status, reason, now);
                }
                if (providerId != null) {
                    EarlyCallbacks.apply(c, d.id(), providerId, moves ? status : current);
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * What became of one claimed delivery, to record with {@link #finishAll}: as {@link #finish}'s arguments, for
     * outcomes that carry no provider sid (in-app, push, withdrawals, failures before a provider was called).
     */
    public record Outcome(Delivery d, DeliveryStatus status, String reason, String address, int attempts,
                          Instant dueAt, Instant unsureSince) {
        /** Withdrawn without an attempt. */
        static Outcome withdrawn(Delivery d, String reason) {
            return new Outcome(d, DeliveryStatus.WITHDRAWN, reason, null, d.attempts(), d.dueAt(), null);
        }

        /** Failed for good without an attempt (the channel is off, no address...). */
        static Outcome failed(Delivery d, String reason, String address) {
            return new Outcome(d, DeliveryStatus.FAILED, reason, address, d.attempts(), d.dueAt(), null);
        }

        /**
         * Attempt {@code attempt} failed transiently: back to pending after the outbox's doubling backoff, or failed
         * once the attempts are spent. {@code unsureSince}: when a provider may have taken it without our knowing.
         */
        static Outcome retryOrGiveUp(Delivery d, int attempt, String reason, String address, Instant unsureSince,
                                     DeliverySettings settings, Instant now) {
            if (attempt >= settings.maxAttempts()) {
                return new Outcome(d, DeliveryStatus.FAILED, "gave up after " + attempt + " attempts: " + reason,
                        address, attempt, d.dueAt(), unsureSince);
            }
            return new Outcome(d, DeliveryStatus.PENDING, "attempt " + attempt + " failed, retrying: " + reason, address,
                    attempt, now.plus(settings.retryBackoff().multipliedBy(1L << (attempt - 1))), unsureSince);
        }
    }

    /**
     * Records many outcomes as {@link #finish} records one, in one transaction of three statements however many there
     * are: the rows still held by their claim are locked (by id and claim, from arrays, in id order), the status each
     * may move to is decided here (a status a callback moved past is kept), then one update and one history insert from
     * arrays. Rows another claimant has taken since are left alone. Returns the ids recorded.
     */
    public java.util.Set<java.util.UUID> finishAll(List<Outcome> outcomes, Instant now) throws SQLException {
        java.util.Set<java.util.UUID> recorded = new java.util.HashSet<>();
        if (outcomes.isEmpty()) {
            return recorded;
        }
        java.util.Map<java.util.UUID, Outcome> byId = new java.util.HashMap<>();
        for (Outcome o : outcomes) {
            byId.put(o.d().id(), o);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                java.util.Map<java.util.UUID, String[]> current = new java.util.HashMap<>();
                try (PreparedStatement ps = c.prepareStatement("select d.id, d.status, d.reason from delivery d join "
                        + "unnest(?::uuid[], ?::bigint[]) as k(id, claim) on d.id = k.id and d.claim = k.claim "
                        + "order by d.id for update of d")) {
                    ps.setArray(1, c.createArrayOf("uuid", byId.keySet().toArray()));
                    ps.setArray(2, c.createArrayOf("bigint", byId.values().stream().map(o -> o.d().claim()).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            current.put(rs.getObject(1, java.util.UUID.class), new String[] {rs.getString(2), rs.getString(3)});
                        }
                    }
                }
                int n = current.size();
                Object[] ids = new Object[n];
                String[] statuses = new String[n];
                String[] reasons = new String[n];
                String[] addresses = new String[n];
                Object[] attempts = new Object[n];
                String[] dues = new String[n];
                String[] unsure = new String[n];
                List<Object> movedIds = new ArrayList<>();
                List<String> movedStatuses = new ArrayList<>();
                List<String> movedReasons = new ArrayList<>();
                int i = 0;
                for (var e : current.entrySet()) {
                    Outcome o = byId.get(e.getKey());
                    DeliveryStatus was = DeliveryStatus.fromCode(e.getValue()[0]).orElseThrow();
                    boolean moves = was.canMoveTo(o.status());
                    ids[i] = e.getKey();
                    statuses[i] = (moves ? o.status() : was).code();
                    reasons[i] = moves ? o.reason() : e.getValue()[1];
                    addresses[i] = o.address();
                    attempts[i] = o.attempts();
                    dues[i] = (moves ? o.dueAt() : o.d().dueAt()).toString();
                    unsure[i] = o.unsureSince() == null ? null : o.unsureSince().toString();
                    if (moves) {
                        movedIds.add(e.getKey());
                        movedStatuses.add(o.status().code());
                        movedReasons.add(o.reason());
                    }
                    recorded.add(e.getKey());
                    i++;
                }
                if (n > 0) {
                    try (PreparedStatement ps = c.prepareStatement("update delivery d set status = u.status, reason = "
                            + "u.reason, updated_at = ?, address = coalesce(u.address, d.address), attempts = u.attempts, "
                            + "due_at = u.due_at::timestamptz, unsure_since = case when u.unsure is null then null else "
                            + "coalesce(d.unsure_since, u.unsure::timestamptz) end from unnest(?::uuid[], ?::text[], "
                            + "?::text[], ?::text[], ?::int[], ?::text[], ?::text[]) as u(id, status, reason, address, "
                            + "attempts, due_at, unsure) where d.id = u.id")) {
                        ps.setObject(1, Jdbc.utc(now));
                        ps.setArray(2, c.createArrayOf("uuid", ids));
                        ps.setArray(3, c.createArrayOf("text", statuses));
                        ps.setArray(4, c.createArrayOf("text", reasons));
                        ps.setArray(5, c.createArrayOf("text", addresses));
                        ps.setArray(6, c.createArrayOf("int4", attempts));
                        ps.setArray(7, c.createArrayOf("text", dues));
                        ps.setArray(8, c.createArrayOf("text", unsure));
                        ps.executeUpdate();
                    }
                }
                if (!movedIds.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("insert into delivery_status_history (delivery_id, "
                            + "status, reason, at) select h.id, h.status, h.reason, ? from unnest(?::uuid[], ?::text[], "
                            + "?::text[]) with ordinality as h(id, status, reason, n) order by h.n")) {
                        ps.setObject(1, Jdbc.utc(now));
                        ps.setArray(2, c.createArrayOf("uuid", movedIds.toArray()));
                        ps.setArray(3, c.createArrayOf("text", movedStatuses.toArray()));
                        ps.setArray(4, c.createArrayOf("text", movedReasons.toArray()));
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return recorded;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private List<Delivery> query(String where, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return DeliveryRows.select(c, where, params);
        }
    }
}
