package org.pagerless.delivery;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.pagerless.delivery.model.Channel;
import org.pagerless.platform.Jdbc;
import org.pagerless.task.TaskQueries;

/**
 * The statements of {@link DeliveryClaims}' claims and their parameters: a few texts, one per window, each planned once
 * per connection (ADR 0095).
 */
final class ClaimStatements {
    private static final Map<Integer, String> CLAIMS = new ConcurrentHashMap<>();
    private static final Map<Integer, String> LOCKS = new ConcurrentHashMap<>();
    /** The outbox's columns, each of the row aliased {@code d}. */
    private static final String D_COLUMNS = DeliveryRows.COLUMNS.replaceAll("(^|, )", "$1d.");

    private ClaimStatements() {
    }

    /**
     * The claim: three locking reads, each on its own partial index (V26, V115) and each at most {@code window} rows,
     * ranked stuck, stat, any (then by age) and cut to the claim's limit (its one parameter past the windows'); the
     * update with its fencing token; the history; and, per row, what {@link StillNeeded} decides on: whether its task
     * is offered to its person now ({@link TaskQueries#offeredToSql}) and whether its notification was read on any
     * channel — read here rather than in two more queries per claim.
     * <p>
     * The windows' limit is written into the statement, the claim's limit rounded up ({@link #window}): with it a
     * parameter, PostgreSQL's plan for any values assumes each window takes a tenth of its index, costs more than the
     * plans for the few rows a lane has room for, and so it planned the claim again at every execution, ~1 ms of the
     * database's CPU each (ADR 0095). A window locks at most four times the rows the claim takes, when that many are
     * due; the lock ends with the claim's transaction.
     */
    private static String pick(int window) {
        return "with stuck as (select id, updated_at as k from delivery where channel = ? "
                + "and status = 'sending' and updated_at <= ? order by updated_at limit " + window
                + " for update skip locked), "
                + "stat as (select id, due_at as k from delivery where channel = ? and status = 'pending' "
                + "and priority = 'stat' and due_at <= ? order by due_at limit " + window + " for update skip locked), "
                + "due as (select id, due_at as k from delivery where channel = ? and status = 'pending' "
                + "and due_at <= ? order by due_at limit " + window + " for update skip locked), "
                + "pick as (select id, bool_or(w = 0) as reclaimed from (select id, 0 as w, k from stuck union all "
                + "select id, 1, k from stat union all select id, 2, k from due) u group by id order by min(w), "
                + "min(k) limit ?)";
    }

    /**
     * The windows' limit for a claim of up to {@code limit} rows: 4, 16, 64, ... (the first power of four at or above
     * it), so a lane's claims share a few statements, each planned once per connection, whatever room it has.
     */
    static int window(int limit) {
        int window = 4;
        while (window < limit) {
            window *= 4;
        }
        return window;
    }

    /**
     * Whether the notification of the row aliased {@code row} was read on any channel: the task's rows found by the
     * task's index (a task has a few), those of the notification then looked at. The outbox keeps no index on the
     * notification's id (ADR 0089). As an {@code exists} with the status in its condition, PostgreSQL could hash every
     * read row of the table instead, reading the whole of {@code delivery} once a claim (it did in the benchmarks
     * whenever it expected a full claim; ClaimReadsTest). A conversation's push has no task, and no other rows.
     */
    private static String read(String row) {
        return "coalesce((select bool_or(r.status = 'read') from delivery r where r.task_id = " + row + ".task_id "
                + "and r.notification_id = " + row + ".notification_id), false)";
    }

    /**
     * The claim of up to {@code limit} rows ({@link DeliveryClaims#claim}): {@link #pick} with the update, the history
     * and the reads for it.
     */
    static String claim(int limit) {
        return CLAIMS.computeIfAbsent(window(limit), w -> pick(w) + ", "
                + "claimed as (update delivery d set status = 'sending', claim = d.claim + 1, updated_at = ?, "
                + "reason = case when pick.reclaimed then ? end, unsure_since = case when pick.reclaimed "
                + "and d.channel = 'sms' then coalesce(d.unsure_since, d.updated_at) else d.unsure_since end "
                + "from pick where d.id = pick.id returning pick.reclaimed, "
                + D_COLUMNS
                + "), history as (insert into delivery_status_history (delivery_id, status, reason, at) "
                + "select id, 'sending', case when reclaimed then ? end, ? from claimed) "
                + "select c.*, " + TaskQueries.offeredToSql("c.task_id", "c.staff_id") + " as offered_now, "
                + read("c") + " as read_now from claimed c");
    }

    /**
     * The rows of a claim of up to {@code limit} ({@link DeliveryClaims#claimAndSettle}), locked as {@link #claim} picks
     * them and read with what {@link StillNeeded} decides on; no write.
     */
    static String lock(int limit) {
        return LOCKS.computeIfAbsent(window(limit), w -> pick(w) + " select "
                + D_COLUMNS + ", "
                + TaskQueries.offeredToSql("d.task_id", "d.staff_id") + " as offered_now, "
                + read("d") + " as read_now from delivery d join pick on d.id = pick.id");
    }

    /** Binds all of {@link #claim}'s parameters. */
    static void bindClaim(PreparedStatement ps, Channel channel, Instant now, Duration stuckAfter, int limit)
            throws SQLException {
        int i = bindPick(ps, channel, now, stuckAfter, limit);
        ps.setObject(i++, Jdbc.utc(now));
        ps.setString(i++, DeliveryClaims.RECLAIMED);
        ps.setString(i++, DeliveryClaims.RECLAIMED);
        ps.setObject(i, Jdbc.utc(now));
    }

    /** Binds {@link #pick}'s parameters (three windows, then the limit) from 1; answers the next parameter's index. */
    static int bindPick(PreparedStatement ps, Channel channel, Instant now, Duration stuckAfter, int limit)
            throws SQLException {
        int i = 1;
        for (int w = 0; w < 3; w++) {
            ps.setString(i++, channel.code());
            ps.setObject(i++, Jdbc.utc(w == 0 ? now.minus(stuckAfter) : now));
        }
        ps.setInt(i++, limit);
        return i;
    }
}
