package org.pagerless.interop.fhir;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * FHIR Subscriptions and their notification outbox in PostgreSQL (V75, owned by interop). A notification row is
 * keyed by subscription and task change, so a change seen twice is queued once; every attempt, its outcome and
 * the next try are rows here, so a restart (or another pod) carries on where the last one stopped. A claim is a
 * lease ({@code claimed_until}): rows of a pod that died mid-send are claimed again when it runs out. Through
 * {@link Jdbc}: a database failure leaves as its {@link IllegalStateException} with the {@link SQLException} as the
 * cause (the REST answer, 503 or 500, and the senders' retry decide on that cause: {@code Failures.isTransient}).
 */
@ApplicationScoped
public class FhirSubscriptions {
    /** A subscription as stored. {@code payload} null: notifications are empty POSTs. */
    public record Stored(UUID id, String createdBy, String criteria, String endpoint, String payload,
                         List<String> headers, String secret, String reason, String status, String error,
                         Instant createdAt) {
        public Stored {
            headers = List.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Subscription[" + id + "]";
        }
    }

    /** A notification to send now: which subscription, which change of which task, and the attempt it is. */
    public record Due(Stored subscription, UUID changeId, UUID eventId, UUID taskId, int attempt) {
    }

    @Inject
    Jdbc jdbc;

    public void create(Stored s, Instant now) {
        jdbc.transaction(c -> {
            Jdbc.update(c, "insert into fhir_subscription (id, created_by, criteria, endpoint, payload, headers, "
                    + "secret, reason, status, error, created_at, updated_at) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?)", s.id(), s.createdBy(), s.criteria(),
                    s.endpoint(), s.payload(), c.createArrayOf("text", s.headers().toArray()), s.secret(),
                    s.reason(), s.status(), now, now);
        });
    }

    public Optional<Stored> find(UUID id) {
        return jdbc.queryOne("select * from fhir_subscription where id = ?", FhirSubscriptions::stored, id);
    }

    /** Every subscription that still wants notifications (active, or in error: it is still tried). */
    public List<Stored> live() {
        return jdbc.query("select * from fhir_subscription where status in ('active', 'error') order by created_at",
                FhirSubscriptions::stored);
    }

    /** Deletes the subscription and its notifications; false if there was none. */
    public boolean delete(UUID id) {
        return jdbc.update("delete from fhir_subscription where id = ?", id) == 1;
    }

    /** One change of a task that a subscription matched, to queue. */
    public record Match(UUID subscriptionId, UUID changeId, UUID eventId, UUID taskId) {
    }

    /** Queues the matches; those queued before change nothing. Returns how many were new. */
    public int enqueue(List<Match> matches, Instant now) {
        if (matches.isEmpty()) {
            return 0;
        }
        // One batch, in one transaction (a batch is the helper's only gap: a prepared statement of our own here).
        return jdbc.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into fhir_notification (subscription_id, "
                    + "change_id, event_id, task_id, status, attempts, due_at, created_at, updated_at) "
                    + "select ?, ?, ?, ?, 'pending', 0, ?, ?, ? "
                    + "where exists (select 1 from fhir_subscription where id = ?) on conflict do nothing")) {
                for (Match m : matches) {
                    ps.setObject(1, m.subscriptionId());
                    ps.setObject(2, m.changeId());
                    ps.setObject(3, m.eventId());
                    ps.setObject(4, m.taskId());
                    ps.setObject(5, Jdbc.utc(now));
                    ps.setObject(6, Jdbc.utc(now));
                    ps.setObject(7, Jdbc.utc(now));
                    ps.setObject(8, m.subscriptionId());
                    ps.addBatch();
                }
                int added = 0;
                for (int n : ps.executeBatch()) {
                    added += Math.max(n, 0);
                }
                return added;
            }
        });
    }

    /**
     * Claims up to {@code limit} notifications due at {@code now} ({@code FOR UPDATE SKIP LOCKED}: pods never claim
     * the same row), for {@code lease}: each is marked sending and its attempt counted. Oldest first.
     */
    public List<Due> claim(Instant now, Duration lease, int limit) {
        List<Object[]> rows = jdbc.transaction((Jdbc.Work<List<Object[]>>) c -> Jdbc.query(c, "with due as (select subscription_id, change_id "
                + "from fhir_notification where (status = 'pending' and due_at <= ?) "
                + "or (status = 'sending' and claimed_until <= ?) order by due_at limit ? for update skip locked) "
                + "update fhir_notification n set status = 'sending', attempts = n.attempts + 1, "
                + "claimed_until = ?, updated_at = ? from due where n.subscription_id = due.subscription_id "
                + "and n.change_id = due.change_id "
                + "returning n.subscription_id, n.change_id, n.event_id, n.task_id, n.attempts",
                rs -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                    rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getInt(5)},
                now, now, limit, now.plus(lease), now));
        List<Due> due = new ArrayList<>();
        for (Object[] r : rows) {
            Optional<Stored> s = find((UUID) r[0]);
            s.ifPresent(sub -> due.add(new Due(sub, (UUID) r[1], (UUID) r[2], (UUID) r[3], (Integer) r[4])));
        }
        return due;
    }

    /** The receiver took it: done, and the subscription is active again. */
    public void delivered(Due d, Instant now) {
        jdbc.update("update fhir_notification set status = 'delivered', claimed_until = null, last_error = null, "
                + "updated_at = ? where subscription_id = ? and change_id = ? and status = 'sending'",
                now, d.subscription().id(), d.changeId());
        jdbc.update("update fhir_subscription set status = 'active', error = null, updated_at = ? where id = ? "
                + "and status = 'error'", now, d.subscription().id());
    }

    /** It failed: try again at {@code retryAt}, or (null) give up; the subscription shows the error meanwhile. */
    public void failed(Due d, String error, Instant retryAt, Instant now) {
        if (retryAt == null) {
            jdbc.update("update fhir_notification set status = 'failed', claimed_until = null, last_error = ?, "
                    + "updated_at = ? where subscription_id = ? and change_id = ? and status = 'sending'",
                    error, now, d.subscription().id(), d.changeId());
        } else {
            jdbc.update("update fhir_notification set status = 'pending', claimed_until = null, last_error = ?, "
                    + "due_at = ?, updated_at = ? where subscription_id = ? and change_id = ? and status = 'sending'",
                    error, retryAt, now, d.subscription().id(), d.changeId());
        }
        jdbc.update("update fhir_subscription set status = 'error', error = ?, updated_at = ? where id = ?",
                error, now, d.subscription().id());
    }

    /** When the next pending notification falls due, if any. */
    public Optional<Instant> nextDue() {
        return jdbc.queryOne("select min(due_at) from fhir_notification where status = 'pending'",
                rs -> Jdbc.instant(rs, 1));
    }

    /** Forgets notifications finished (delivered or given up) before {@code before}, at most {@code limit}. */
    public int prune(Instant before, int limit) {
        return jdbc.update("delete from fhir_notification where ctid in (select ctid from fhir_notification where "
                + "status in ('delivered', 'failed') and updated_at < ? limit ?)", before, limit);
    }

    /** Notifications of one subscription, oldest first, as (status, attempts, task id): for tests and operators. */
    public List<String[]> notifications(UUID subscriptionId) {
        return jdbc.query("select status, attempts, task_id from fhir_notification where subscription_id = ? "
                + "order by created_at", rs -> new String[] {rs.getString(1), String.valueOf(rs.getInt(2)),
                    rs.getString(3)}, subscriptionId);
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        Array headers = rs.getArray("headers");
        return new Stored(rs.getObject("id", UUID.class), rs.getString("created_by"), rs.getString("criteria"),
                rs.getString("endpoint"), rs.getString("payload"),
                headers == null ? List.of() : List.of((String[]) headers.getArray()), rs.getString("secret"),
                rs.getString("reason"), rs.getString("status"), rs.getString("error"),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }
}
