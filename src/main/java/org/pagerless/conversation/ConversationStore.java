package org.pagerless.conversation;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.Receipts.Receipt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Conversations, their append-only messages, receipts and task links in PostgreSQL. Messages are inserted only by
 * the {@link ConversationWriter}; receipts by the reader's own request (they are facts about that reader alone).
 */
@ApplicationScoped
public class ConversationStore {
    private static final String CONVERSATION_COLUMNS =
            "id, kind, title, task_id, role_ids, ward_ids, member_ids, created_by, created_at";
    /** A message as it now reads: its newest version (edited, or deleted: no text), if it has one. */
    private static final String CURRENT_BODY = "(case when v.id is null then m.body else v.body end)";
    private static final String MESSAGE_COLUMNS =
            "m.id, m.conversation_id, m.kind, m.author, " + CURRENT_BODY + " as body, m.mentions, m.audience,"
            + " m.posted_at, m.seq, m.photo_id, v.changed_by, v.changed_at, v.id is not null and v.body is null";
    private static final String MESSAGES = " from conversation_message m left join lateral (select id, body,"
            + " changed_by, changed_at from conversation_message_version where message_id = m.id order by seq desc"
            + " limit 1) v on true";

    /**
     * A stored message as it now reads; {@code author} is null for a system line, {@code body} null once deleted,
     * {@code change} the newest edit or deletion (null if none), {@code photoId} its photo if it has one.
     */
    public record Message(UUID id, UUID conversationId, String kind, String author, String body, List<String> mentions,
                          List<String> audience, Instant postedAt, long seq, UUID photoId, Change change) {
        @Override
        public String toString() {
            return "Message[" + id + "]";
        }

        public boolean deleted() {
            return change != null && change.deleted();
        }
    }

    /** The newest change to a message: who edited or deleted it, and when. */
    public record Change(String by, Instant at, boolean deleted) {
    }

    /** One version of a message, oldest first: the text as posted, then each edit (a deletion has no text). */
    public record Version(String body, String by, Instant at, boolean deleted) {
        @Override
        public String toString() {
            return "Version[" + by + " " + at + "]";
        }
    }

    /** A message turned into a task: where it came from and what it became. */
    public record TaskLink(UUID messageId, UUID conversationId, UUID taskId, String raisedBy, Instant raisedAt) {
    }

    @Inject
    DataSource dataSource;

    /**
     * Definitions are never changed once stored (ADR 0029: membership is computed, not copied), so a stored one is
     * kept here and a post or the writer need not read it again. Bounded: the least recently used go first.
     */
    private final Map<UUID, Conversation> known = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Conversation> eldest) {
                    return size() > 10_000;
                }
            });

    public Optional<Conversation> find(UUID id) {
        Conversation cached = known.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        List<Conversation> found = conversations("select " + CONVERSATION_COLUMNS + " from conversation where id = ?", id);
        found.forEach(c -> known.put(c.id(), c));
        return found.stream().findFirst();
    }

    /** Stores a new conversation; one with the same id already there is kept as it is. */
    public void create(Conversation c) {
        try (Connection con = dataSource.getConnection()) {
            create(con, c);
        } catch (SQLException e) {
            throw new IllegalStateException("conversation not stored", e);
        }
    }

    void create(Connection con, Conversation c) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("insert into conversation (" + CONVERSATION_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing")) {
            ps.setObject(1, c.id());
            ps.setString(2, c.kind().code());
            ps.setString(3, c.title());
            ps.setObject(4, c.taskId());
            ps.setArray(5, con.createArrayOf("text", c.roleIds().toArray()));
            ps.setArray(6, con.createArrayOf("text", c.wardIds().toArray()));
            ps.setArray(7, con.createArrayOf("text", c.memberIds().toArray()));
            ps.setString(8, c.createdBy());
            ps.setTimestamp(9, Timestamp.from(c.createdAt()));
            ps.executeUpdate();
        }
    }

    /**
     * The conversations {@code staffId} might be in: those whose membership follows the rota (the caller works out
     * who is in them now), those naming them as a fixed member, and any they received a message in.
     */
    public List<Conversation> candidatesFor(String staffId) {
        return conversations("select " + CONVERSATION_COLUMNS + " from conversation c where (kind <> 'task' and ("
                + "member_ids @> array[?]::text[] or cardinality(role_ids) > 0 or cardinality(ward_ids) > 0))"
                + " or exists (select 1 from conversation_message m where m.conversation_id = c.id"
                + " and m.audience @> array[?]::text[])", staffId, staffId);
    }

    /** Inserts the messages whose ids are not stored yet, in one round trip (a replayed one is left as it is). */
    void insert(Connection con, List<Message> messages) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("insert into conversation_message (id, conversation_id, kind,"
                + " author, body, mentions, audience, posted_at, photo_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (id) do nothing")) {
            for (Message m : messages) {
                ps.setObject(1, m.id());
                ps.setObject(2, m.conversationId());
                ps.setString(3, m.kind());
                ps.setString(4, m.author());
                ps.setString(5, m.body());
                ps.setArray(6, con.createArrayOf("text", m.mentions().toArray()));
                ps.setArray(7, con.createArrayOf("text", m.audience().toArray()));
                ps.setTimestamp(8, Timestamp.from(m.postedAt()));
                ps.setObject(9, m.photoId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Adds a version of a message: a new text, or none (deleted); one with the same id already there is kept. */
    void insertVersion(Connection con, UUID versionId, UUID messageId, String body, String by, Instant at)
            throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("insert into conversation_message_version (id, message_id,"
                + " body, changed_by, changed_at) values (?, ?, ?, ?, ?) on conflict (id) do nothing")) {
            ps.setObject(1, versionId);
            ps.setObject(2, messageId);
            ps.setString(3, body);
            ps.setString(4, by);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    /** Every version of a message, oldest first: as posted, then each edit or deletion. */
    public List<Version> versions(Message m) {
        List<Version> out = new ArrayList<>();
        query("select m.body, m.author, m.posted_at, false, 0::bigint as seq from conversation_message m where m.id = ?"
                + " union all select body, changed_by, changed_at, body is null, seq from conversation_message_version"
                + " where message_id = ? order by seq",
                rs -> out.add(new Version(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getBoolean(4))),
                m.id(), m.id());
        return out;
    }

    /** Who has muted each of these conversations. */
    Map<UUID, java.util.Set<String>> muted(Connection con, Collection<UUID> conversationIds) throws SQLException {
        Map<UUID, java.util.Set<String>> out = new HashMap<>();
        try (PreparedStatement ps = con.prepareStatement(
                "select conversation_id, staff_id from conversation_mute where conversation_id = any(?)")) {
            ps.setArray(1, con.createArrayOf("uuid", conversationIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new java.util.HashSet<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The conversations {@code staffId} has muted. */
    public java.util.Set<UUID> mutedBy(String staffId) {
        java.util.Set<UUID> out = new java.util.HashSet<>();
        query("select conversation_id from conversation_mute where staff_id = ?", rs -> out.add(rs.getObject(1, UUID.class)),
                staffId);
        return out;
    }

    /** Mutes (or unmutes) a conversation for one person; doing it twice changes nothing. */
    public void mute(UUID conversationId, String staffId, boolean muted, Instant at) {
        if (muted) {
            update("insert into conversation_mute (conversation_id, staff_id, muted_at) values (?, ?, ?)"
                    + " on conflict do nothing", conversationId, staffId, Timestamp.from(at));
        } else {
            update("delete from conversation_mute where conversation_id = ? and staff_id = ?", conversationId, staffId);
        }
    }

    Optional<Message> message(Connection con, UUID id) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("select " + MESSAGE_COLUMNS + MESSAGES + " where m.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(message(rs)) : Optional.empty();
            }
        }
    }

    /** These messages as stored, in the order they were stored. */
    List<Message> messages(Connection con, List<UUID> ids) throws SQLException {
        List<Message> found = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("select " + MESSAGE_COLUMNS + MESSAGES
                + " where m.id = any(?) order by m.seq")) {
            ps.setArray(1, con.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(message(rs));
                }
            }
        }
        return found;
    }

    public Optional<Message> message(UUID id) {
        try (Connection con = dataSource.getConnection()) {
            return message(con, id);
        } catch (SQLException e) {
            throw new IllegalStateException("message not read", e);
        }
    }

    /**
     * The conversation's messages oldest first, the last {@code limit}; {@code onlyFor} limits them to those posted
     * while that person was a member (null: all); {@code search} keeps those containing it, ignoring case.
     */
    public List<Message> messages(UUID conversationId, String onlyFor, String search, int limit) {
        StringBuilder sql = new StringBuilder("select * from (select " + MESSAGE_COLUMNS + MESSAGES
                + " where m.conversation_id = ?");
        List<Object> args = new ArrayList<>(List.of(conversationId));
        if (onlyFor != null) {
            sql.append(" and m.audience @> array[?]::text[]");
            args.add(onlyFor);
        }
        if (search != null) {
            sql.append(" and strpos(lower(" + CURRENT_BODY + "), lower(?)) > 0");
            args.add(search);
        }
        sql.append(" order by m.seq desc limit ?) last order by seq");
        args.add(limit);
        List<Message> found = new ArrayList<>();
        query(sql.toString(), rs -> found.add(message(rs)), args.toArray());
        return found;
    }

    /** Whether anything in the conversation was posted to {@code staffId} (they keep seeing that after leaving). */
    public boolean everReceived(UUID conversationId, String staffId) {
        List<Boolean> found = new ArrayList<>();
        query("select 1 from conversation_message where conversation_id = ? and audience @> array[?]::text[] limit 1",
                rs -> found.add(true), conversationId, staffId);
        return !found.isEmpty();
    }

    /** Whether a message showing this photo was posted to {@code staffId}. */
    public boolean photoPostedTo(UUID photoId, String staffId) {
        List<Boolean> found = new ArrayList<>();
        query("select 1 from conversation_message where photo_id = ? and audience @> array[?]::text[] limit 1",
                rs -> found.add(true), photoId, staffId);
        return !found.isEmpty();
    }

    /** Receipts of these messages, by message then member. */
    public Map<UUID, Map<String, Receipt>> receipts(Collection<UUID> messageIds) {
        Map<UUID, Map<String, Receipt>> out = new HashMap<>();
        if (messageIds.isEmpty()) {
            return out;
        }
        query("select message_id, staff_id, delivered_at, read_at from conversation_receipt where message_id = any(?)",
                rs -> out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), new Receipt(rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)))),
                (Object) messageIds.toArray(UUID[]::new));
        return out;
    }

    /** Marks every message of the conversation posted to {@code staffId} (not by them) as delivered, or read too. */
    public void mark(UUID conversationId, String staffId, Instant at, boolean read) {
        update("insert into conversation_receipt (message_id, staff_id, delivered_at, read_at)"
                + " select id, ?, ?, ? from conversation_message where conversation_id = ? and audience @> array[?]::text[]"
                + " and author is distinct from ? on conflict (message_id, staff_id) do update set read_at ="
                + " coalesce(conversation_receipt.read_at, excluded.read_at)",
                staffId, Timestamp.from(at), read ? Timestamp.from(at) : null, conversationId, staffId, staffId);
    }

    /** How many messages posted to {@code staffId} by others they have not read, per conversation. */
    public Map<UUID, Integer> unread(String staffId) {
        Map<UUID, Integer> out = new HashMap<>();
        query("select m.conversation_id, count(*) from conversation_message m where m.audience @> array[?]::text[]"
                + " and m.kind = 'text' and m.author is distinct from ? and not exists (select 1 from conversation_receipt r"
                + " where r.message_id = m.id and r.staff_id = ? and r.read_at is not null) group by m.conversation_id",
                rs -> out.put(rs.getObject(1, UUID.class), rs.getInt(2)), staffId, staffId, staffId);
        return out;
    }

    /** When each conversation last had a message. */
    public Map<UUID, Instant> lastPosted(Collection<UUID> ids) {
        Map<UUID, Instant> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        query("select conversation_id, max(posted_at) from conversation_message where conversation_id = any(?)"
                + " group by conversation_id", rs -> out.put(rs.getObject(1, UUID.class), instant(rs.getTimestamp(2))),
                (Object) ids.toArray(UUID[]::new));
        return out;
    }

    public void link(TaskLink link) {
        update("insert into conversation_task_link (message_id, conversation_id, task_id, raised_by, raised_at)"
                + " values (?, ?, ?, ?, ?) on conflict do nothing", link.messageId(), link.conversationId(), link.taskId(),
                link.raisedBy(), Timestamp.from(link.raisedAt()));
    }

    /** The tasks raised from these messages. */
    public List<TaskLink> linksFrom(Collection<UUID> messageIds) {
        List<TaskLink> out = new ArrayList<>();
        if (!messageIds.isEmpty()) {
            query("select message_id, conversation_id, task_id, raised_by, raised_at from conversation_task_link"
                    + " where message_id = any(?)", rs -> out.add(link(rs)), (Object) messageIds.toArray(UUID[]::new));
        }
        return out;
    }

    /** The message a task was raised from, if it was. */
    public Optional<TaskLink> origin(UUID taskId) {
        List<TaskLink> out = new ArrayList<>();
        query("select message_id, conversation_id, task_id, raised_by, raised_at from conversation_task_link"
                + " where task_id = ?", rs -> out.add(link(rs)), taskId);
        return out.stream().findFirst();
    }

    private static TaskLink link(ResultSet rs) throws SQLException {
        return new TaskLink(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), instant(rs.getTimestamp(5)));
    }

    private List<Conversation> conversations(String sql, Object... args) {
        List<Conversation> found = new ArrayList<>();
        query(sql, rs -> found.add(new Conversation(rs.getObject(1, UUID.class), Conversation.Kind.fromCode(rs.getString(2)),
                rs.getString(3), rs.getObject(4, UUID.class), strings(rs.getArray(5)), strings(rs.getArray(6)),
                strings(rs.getArray(7)), rs.getString(8), instant(rs.getTimestamp(9)))), args);
        return found;
    }

    private static Message message(ResultSet rs) throws SQLException {
        String changedBy = rs.getString(11);
        return new Message(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), strings(rs.getArray(6)), strings(rs.getArray(7)), instant(rs.getTimestamp(8)), rs.getLong(9),
                rs.getObject(10, UUID.class),
                changedBy == null ? null : new Change(changedBy, instant(rs.getTimestamp(12)), rs.getBoolean(13)));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("conversation query failed", e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("conversation update failed", e);
        }
    }

    private static void bind(Connection c, PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof UUID[] ids) {
                ps.setArray(i + 1, c.createArrayOf("uuid", ids));
            } else if (args[i] == null) {
                ps.setNull(i + 1, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }
}
