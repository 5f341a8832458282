package org.pagerless.delivery;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.platform.ArraySlots;
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
    Jdbc jdbc;
    @Inject
    DeliveryDue due;

    /**
     * What one claim took (stat first, then oldest due), and, when it took less than it could, the channel's next due.
     * Read by the claim statement itself, for {@link StillNeeded}: {@code offered}, the ids of the rows whose task is
     * offered to their person now; {@code read}, the ids of the rows whose notification was read on some channel;
     * {@code settled}, the outcomes recorded in the claim's own transaction ({@link #claimAndSettle}; none otherwise).
     */
    public record Claim(List<Delivery> rows, Optional<Instant> next, java.util.Set<java.util.UUID> offered,
                        java.util.Set<java.util.UUID> read, List<Outcome> settled) {
    }

    /** As {@link #claim}, the rows only. */
    public List<Delivery> claimDue(Channel channel, Instant now, java.time.Duration stuckAfter, int limit)
            throws SQLException {
        return claim(channel, now, stuckAfter, limit).rows();
    }

    /**
     * Claims up to {@code limit} due deliveries on {@code channel} for this dispatcher ({@code FOR UPDATE SKIP
     * LOCKED}, so several pods never claim the same row), marks them {@code sending} and bumps each one's fencing
     * token. Rows left in {@code sending} longer than {@code stuckAfter} (a pod died or stalled mid-send) are claimed
     * again; a text may have reached Twilio, so such a row is marked unsure since its last claim and is reconciled
     * before anything is sent again. A call is marked unsure just before it is placed ({@link #markCalling}), so a
     * reclaimed call without that mark was never placed and is simply placed (ADR 0086). One statement claims and
     * writes the history (rows stuck in sending first, then due stat rows, then any due rows, each from its own
     * partial index); when it took fewer than {@code limit}, a second statement in the same transaction reads when the
     * channel's next row falls due.
     */
    public Claim claim(Channel channel, Instant now, java.time.Duration stuckAfter, int limit) throws SQLException {
        if (limit <= 0) {
            return new Claim(List.of(), Optional.empty(), java.util.Set.of(), java.util.Set.of(), List.of());
        }
        return jdbc.transaction(c -> {
            List<Delivery> claimed = new ArrayList<>();
            java.util.Set<java.util.UUID> offered = new java.util.HashSet<>();
            java.util.Set<java.util.UUID> read = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(ClaimStatements.claim(limit))) {
                ClaimStatements.bindClaim(ps, channel, now, stuckAfter, limit);
                readClaimed(ps, claimed, offered, read);
            }
            claimed.sort(java.util.Comparator.comparing((Delivery d) -> !"stat".equals(d.priority()))
                    .thenComparing(Delivery::dueAt));
            Optional<Instant> next = Optional.empty();
            if (claimed.size() < limit) {
                next = Jdbc.query(c, NEXT_DUE, rs -> Optional.ofNullable(Jdbc.instant(rs, 2)),
                        nextDueParams(stuckAfter, channel.code())).get(0);
            }
            return new Claim(claimed, next, offered, read, List.of());
        });
    }

    /**
     * A claim whose every row is settled in the claim's own transaction, for a channel with nothing to wait for (in-app:
     * the row is the inbox). The rows are picked and locked as {@link #claim} picks them (stuck, stat, any), read with
     * what {@link StillNeeded} decides on, and {@code decide} gives each its outcome; one update from arrays (with the
     * next fencing token, so an older claimant can record nothing) and one history insert record them, then the
     * channel's next due time is read: one transaction, no {@code sending} in between (ADR 0072). If anything fails,
     * nothing is written and the rows are still due. {@code decide} runs inside the transaction: no I/O of its own.
     */
    public Claim claimAndSettle(Channel channel, Instant now, java.time.Duration stuckAfter, int limit,
                                java.util.function.Function<Claim, List<Outcome>> decide) throws SQLException {
        if (limit <= 0) {
            return new Claim(List.of(), Optional.empty(), java.util.Set.of(), java.util.Set.of(), List.of());
        }
        return jdbc.transaction(c -> {
            List<Delivery> picked = new ArrayList<>();
            java.util.Set<java.util.UUID> offered = new java.util.HashSet<>();
            java.util.Set<java.util.UUID> read = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(ClaimStatements.lock(limit))) {
                ClaimStatements.bindPick(ps, channel, now, stuckAfter, limit);
                readClaimed(ps, picked, offered, read);
            }
            picked.sort(java.util.Comparator.comparing((Delivery d) -> !"stat".equals(d.priority()))
                    .thenComparing(Delivery::dueAt));
            List<Outcome> outcomes = picked.isEmpty() ? List.of()
                    : decide.apply(new Claim(picked, Optional.empty(), offered, read, List.of()));
            List<OutcomeWrites.Row> rows = new ArrayList<>(outcomes.size());
            for (Outcome o : outcomes) {
                if (!o.d().status().canMoveTo(o.status())) {
                    throw new IllegalStateException("delivery " + o.d().id() + ": " + o.d().status().code()
                            + " cannot move to " + o.status().code());
                }
                rows.add(new OutcomeWrites.Row(o.d().id(), o.status().code(), o.reason(), o.address(), o.attempts(),
                        o.dueAt(), o.unsureSince(), true));
            }
            OutcomeWrites.write(c, rows, now, true);
            Optional<Instant> next = Optional.empty();
            if (picked.size() < limit) {
                next = Jdbc.query(c, NEXT_DUE, rs -> Optional.ofNullable(Jdbc.instant(rs, 2)),
                        nextDueParams(stuckAfter, channel.code())).get(0);
            }
            return new Claim(picked, next, offered, read, outcomes);
        });
    }

    /** Runs a claim's query: its rows, and the ids offered now and read now (for {@link StillNeeded}). */
    private static void readClaimed(PreparedStatement ps, List<Delivery> rows, java.util.Set<java.util.UUID> offered,
                                    java.util.Set<java.util.UUID> read) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Delivery d = DeliveryRows.row(rs);
                rows.add(d);
                if (rs.getBoolean("offered_now")) {
                    offered.add(d.id());
                }
                if (rs.getBoolean("read_now")) {
                    read.add(d.id());
                }
            }
        }
    }

    /**
     * Per channel, when its next row falls due: the earliest pending row, or the earliest sending row's deadline. The
     * channels (up to all of them) in {@link ArraySlots}, so it is planned once, not at every wake.
     */
    static final String NEXT_DUE = ArraySlots.sql("select c.channel, least((select min(due_at) from delivery where "
            + "status = 'pending' and channel = c.channel), (select min(updated_at) from delivery where "
            + "status = 'sending' and channel = c.channel) + ?::interval) from unnest(%s) as c(channel) "
            + "where c.channel is not null", Channel.values().length, "text");

    /** {@link #NEXT_DUE}'s parameters: the sending deadline, then the channels. */
    static Object[] nextDueParams(java.time.Duration stuckAfter, String... channels) {
        return ArraySlots.params(stuckAfter.toMillis() + " milliseconds", channels.length, (Object[]) channels);
    }

    static final String RECLAIMED = "reclaimed after the sending deadline";

    /**
     * When the next delivery on each channel falls due (a pending row, or a sending row's deadline): one statement for
     * all channels, each answered from its channel's partial indexes. Channels with nothing waiting are left out.
     */
    public java.util.Map<Channel, Instant> nextDue(java.util.Collection<Channel> channels,
                                                  java.time.Duration stuckAfter) throws SQLException {
        java.util.Map<Channel, Instant> next = new java.util.EnumMap<>(Channel.class);
        if (channels.isEmpty()) {
            return next;
        }
        jdbc.forEachRow(NEXT_DUE, rs -> {
            Instant due = Jdbc.instant(rs, 2);
            if (due != null) {
                next.put(Channel.fromCode(rs.getString(1)).orElseThrow(), due);
            }
        }, nextDueParams(stuckAfter, channels.stream().distinct().map(Channel::code).toArray(String[]::new)));
        return next;
    }

    /** {@link #held}'s statement, its arrays (ids, claims) in {@link ArraySlots}. */
    static final String HELD = "select d.id from delivery d join unnest(%s, %s) as k(id, claim) "
            + "on d.id = k.id and d.claim = k.claim where d.status = 'sending'";

    /**
     * Which of {@code rows} are still held by the claims they carry: one query for a whole batch, just before its texts
     * or calls go (a row another dispatcher has claimed since is theirs to send).
     */
    public java.util.Set<java.util.UUID> held(List<Delivery> rows) throws SQLException {
        java.util.Set<java.util.UUID> held = new java.util.HashSet<>();
        if (rows.isEmpty()) {
            return held;
        }
        jdbc.forEachRow(ArraySlots.sql(HELD, rows.size(), "uuid", "bigint"),
                rs -> held.add(rs.getObject(1, java.util.UUID.class)),
                ArraySlots.params(rows.size(), rows.stream().map(Delivery::id).toArray(),
                        rows.stream().map(Delivery::claim).toArray()));
        return held;
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

    /** Which of these provider sids some delivery row has recorded (one query, on the provider_id index). */
    public java.util.Set<String> recorded(java.util.Collection<String> sids) throws SQLException {
        java.util.Set<String> recorded = new java.util.HashSet<>();
        if (sids.isEmpty()) {
            return recorded;
        }
        jdbc.forEachRow("select distinct provider_id from delivery where provider_id = any(?::text[])",
                rs -> recorded.add(rs.getString(1)), (Object) sids.toArray(String[]::new));
        return recorded;
    }

    /**
     * Marks a claimed call unsure from {@code at}, committed before the call is placed: if the pod dies before the
     * call's sid is recorded, the row is reconciled with Twilio's list of calls, while a claimed call that was never
     * marked is placed without looking there for it (ADR 0086). False (nothing written) if another claimant has taken
     * the row since: the call must not be placed.
     */
    public boolean markCalling(Delivery d, Instant at) throws SQLException {
        return jdbc.update("update delivery set unsure_since = coalesce(unsure_since, ?) where id = ? and claim = ? "
                + "and status = 'sending'", Jdbc.utc(at), d.id(), d.claim()) == 1;
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
     * Three round trips: the sid's lock, taken first so that a callback that came before the sid and this never miss
     * each other (ADR 0070); {@link OutcomeWrites#one}; the commit. Kept callbacks are read only when there are some.
     */
    public boolean finish(Delivery d, DeliveryStatus status, String reason, Instant now, String address,
                          String providerId, int attempts, Instant dueAt, Instant unsureSince) throws SQLException {
        boolean recorded = jdbc.transaction(c -> {
            if (providerId != null) {
                EarlyCallbacks.lockSid(c, providerId);
            }
            Optional<OutcomeWrites.Was> was = OutcomeWrites.one(c, d, status, reason, now, address, providerId, attempts,
                    dueAt, unsureSince);
            if (was.isPresent() && was.get().callbacksKept()) {
                EarlyCallbacks.apply(c, d.id(), providerId, was.get().now(status));
            }
            return was.isPresent();
        });
        if (recorded && status == DeliveryStatus.PENDING) {
            due.at(d.channel(), dueAt); // back in the outbox: its lane learns when
        }
        return recorded;
    }

    /** The rows of {@link #finishAll} still held by their claims, locked in id order; the arrays in {@link ArraySlots}. */
    static final String HELD_LOCKED = "select d.id, d.status, d.reason from delivery d join unnest(%s, %s) "
            + "as k(id, claim) on d.id = k.id and d.claim = k.claim order by d.id for update of d";

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
        jdbc.transaction(c -> {
            java.util.Map<java.util.UUID, String[]> current = new java.util.HashMap<>();
            List<java.util.UUID> ids = List.copyOf(byId.keySet());
            for (var row : Jdbc.query(c, ArraySlots.sql(HELD_LOCKED, ids.size(), "uuid", "bigint"),
                    rs -> java.util.Map.entry(rs.getObject(1, java.util.UUID.class),
                            new String[] {rs.getString(2), rs.getString(3)}),
                    ArraySlots.params(ids.size(), ids.toArray(),
                            ids.stream().map(id -> byId.get(id).d().claim()).toArray()))) {
                current.put(row.getKey(), row.getValue());
            }
            List<OutcomeWrites.Row> rows = new ArrayList<>(current.size());
            for (var e : current.entrySet()) {
                Outcome o = byId.get(e.getKey());
                DeliveryStatus was = DeliveryStatus.fromCode(e.getValue()[0]).orElseThrow();
                boolean moves = was.canMoveTo(o.status());
                rows.add(new OutcomeWrites.Row(e.getKey(), (moves ? o.status() : was).code(),
                        moves ? o.reason() : e.getValue()[1], o.address(), o.attempts(),
                        moves ? o.dueAt() : o.d().dueAt(), o.unsureSince(), moves));
                recorded.add(e.getKey());
            }
            OutcomeWrites.write(c, rows, now, false);
            return recorded;
        });
        for (Outcome o : outcomes) {
            if (o.status() == DeliveryStatus.PENDING && recorded.contains(o.d().id())) {
                due.at(o.d().channel(), o.dueAt()); // back in the outbox: its lane learns when
            }
        }
        return recorded;
    }

    private List<Delivery> query(String where, Object... params) {
        return jdbc.query("select " + DeliveryRows.COLUMNS + " from delivery " + where, DeliveryRows::row, params);
    }
}
