package org.pagerless.conversation;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.pagerless.conversation.model.Conversation;
import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The record of conversations in PostgreSQL: their definitions, append-only messages with their versions, and the
 * tasks raised from them. Messages and versions are inserted only by the {@link ConversationWriter}. What each reader
 * has done with them (receipts, unread counts, mutes) is {@link ConversationReaders}'.
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
    private static final String LINKS =
            "select message_id, conversation_id, task_id, raised_by, raised_at from conversation_task_link";
    /** Whether message {@code m}'s newest version is a deletion. */
    private static final String DELETED = "coalesce((select v.body is null from conversation_message_version v"
            + " where v.message_id = m.id order by v.seq desc limit 1), false)";
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
    Jdbc jdbc;

    /**
     * Definitions are never changed once stored (ADR 0029: membership is computed, not copied), so a stored room,
     * group, role or direct conversation is kept here and a post or the writer need not read it again. Bounded: the
     * least recently used go first. Task threads are not kept: there is one for every task, so at a busy
     * switchboard's rates they would turn the whole cache over every few seconds, each entry living just long enough
     * to be copied into the old generation and die there (a full collection's work, docs/benchmarks.md stop 50);
     * reading one again is one indexed row in the writer's one query of its batch.
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
        found.forEach(this::keep);
        return found.stream().findFirst();
    }

    /** As {@link #find(UUID)} for several: those known without a query, the rest in one; absent ones are left out. */
    public Map<UUID, Conversation> findAll(Collection<UUID> ids) {
        Map<UUID, Conversation> found = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (UUID id : ids) {
            Conversation cached = known.get(id);
            if (cached != null) {
                found.put(id, cached);
            } else if (!found.containsKey(id)) {
                unknown.add(id.toString());
            }
        }
        if (!unknown.isEmpty()) {
            for (Conversation c : conversations("select " + CONVERSATION_COLUMNS + " from conversation where id = any (?::uuid[])",
                    (Object) unknown.stream().distinct().toArray(String[]::new))) {
                keep(c);
                found.put(c.id(), c);
            }
        }
        return found;
    }

    /** Keeps a stored conversation for the next read, unless it is a task thread (see {@link #known}). */
    private void keep(Conversation c) {
        if (c.kind() != Conversation.Kind.TASK) {
            known.put(c.id(), c);
        }
    }

    /** Stores a new conversation; one with the same id already there is kept as it is. */
    public void create(Conversation c) {
        jdbc.transaction((Jdbc.VoidWork) con -> create(con, c));
    }

    void create(Connection con, Conversation c) throws SQLException {
        create(con, List.of(c));
    }

    /** Stores these conversations in one statement; any already there is kept as it is. */
    void create(Connection con, Collection<Conversation> conversations) throws SQLException {
        if (conversations.isEmpty()) {
            return;
        }
        List<Object> parameters = new ArrayList<>(conversations.size() * 9);
        for (Conversation c : conversations) {
            parameters.addAll(java.util.Arrays.asList(c.id(), c.kind().code(), c.title(), c.taskId(),
                    c.roleIds().toArray(String[]::new), c.wardIds().toArray(String[]::new),
                    c.memberIds().toArray(String[]::new), c.createdBy(), c.createdAt()));
        }
        Jdbc.update(con, "insert into conversation (" + CONVERSATION_COLUMNS + ") values "
                + rows("(?, ?, ?, ?, ?, ?, ?, ?, ?)", conversations.size()) + " on conflict (id) do nothing",
                parameters.toArray());
    }

    /** {@code row} repeated {@code count} times, comma-separated: the values of a multi-row insert. */
    private static String rows(String row, int count) {
        return String.join(", ", java.util.Collections.nCopies(count, row));
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

    /**
     * Inserts the messages whose ids are not stored yet, in one round trip, and answers all of them as stored, in the
     * order they were stored: the new ones as given (with the sequence number they got), a replayed one as it was
     * stored the first time (and as it now reads).
     */
    List<Message> insert(Connection con, List<Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return List.of();
        }
        Map<UUID, Long> seqs = new HashMap<>();
        // One multi-row statement, not a JDBC batch: the driver does not rewrite a batch that returns keys, so a batch
        // was one statement per message (two per bleep, for its thread lines). Rows get their seq in this order.
        try (PreparedStatement ps = con.prepareStatement("insert into conversation_message (id, conversation_id, kind,"
                + " author, body, mentions, audience, posted_at, photo_id) values "
                + rows("(?, ?, ?, ?, ?, ?, ?, ?, ?)", messages.size()) + " on conflict (id) do nothing returning id, seq")) {
            int i = 0;
            for (Message m : messages) {
                ps.setObject(++i, m.id());
                ps.setObject(++i, m.conversationId());
                ps.setString(++i, m.kind());
                ps.setString(++i, m.author());
                ps.setString(++i, m.body());
                ps.setObject(++i, m.mentions().toArray(String[]::new));
                ps.setObject(++i, m.audience().toArray(String[]::new));
                ps.setObject(++i, Jdbc.utc(m.postedAt()));
                ps.setObject(++i, m.photoId());
            }
            try (ResultSet keys = ps.executeQuery()) {
                while (keys.next()) {
                    seqs.put(keys.getObject(1, UUID.class), keys.getLong(2));
                }
            }
        }
        List<Message> stored = new ArrayList<>();
        List<UUID> replayed = new ArrayList<>();
        java.util.Set<UUID> seen = new java.util.HashSet<>();
        for (Message m : messages) {
            Long seq = seqs.get(m.id());
            if (!seen.add(m.id())) {
                continue; // the same command twice in one batch: stored once
            } else if (seq == null) {
                replayed.add(m.id());
            } else {
                stored.add(new Message(m.id(), m.conversationId(), m.kind(), m.author(), m.body(), m.mentions(),
                        m.audience(), m.postedAt(), seq, m.photoId(), null));
            }
        }
        if (!replayed.isEmpty()) {
            stored.addAll(messages(con, replayed));
            stored.sort(java.util.Comparator.comparingLong(Message::seq));
        }
        return stored;
    }

    /** Adds a version of a message: a new text, or none (deleted); one with the same id already there is kept. */
    void insertVersion(Connection con, UUID versionId, UUID messageId, String body, String by, Instant at)
            throws SQLException {
        Jdbc.update(con, "insert into conversation_message_version (id, message_id, body, changed_by, changed_at)"
                + " values (?, ?, ?, ?, ?) on conflict (id) do nothing", versionId, messageId, body, by, at);
    }

    /** Every version of a message, oldest first: as posted, then each edit or deletion. */
    public List<Version> versions(Message m) {
        return jdbc.query("select m.body, m.author, m.posted_at, false, 0::bigint as seq from conversation_message m"
                + " where m.id = ? union all select body, changed_by, changed_at, body is null, seq"
                + " from conversation_message_version where message_id = ? order by seq",
                rs -> new Version(rs.getString(1), rs.getString(2), Jdbc.instant(rs, 3), rs.getBoolean(4)), m.id(), m.id());
    }

    Optional<Message> message(Connection con, UUID id) throws SQLException {
        return Jdbc.query(con, "select " + MESSAGE_COLUMNS + MESSAGES + " where m.id = ?", ConversationStore::message, id)
                .stream().findFirst();
    }

    /** These messages as stored, in the order they were stored. */
    List<Message> messages(Connection con, List<UUID> ids) throws SQLException {
        return Jdbc.query(con, "select " + MESSAGE_COLUMNS + MESSAGES + " where m.id = any(?::uuid[]) order by m.seq",
                ConversationStore::message, (Object) ids(ids));
    }

    public Optional<Message> message(UUID id) {
        return jdbc.queryOne("select " + MESSAGE_COLUMNS + MESSAGES + " where m.id = ?", ConversationStore::message, id);
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
        return jdbc.query(sql.toString(), ConversationStore::message, args.toArray());
    }

    /** Whether anything in the conversation was posted to {@code staffId} (they keep seeing that after leaving). */
    public boolean everReceived(UUID conversationId, String staffId) {
        return jdbc.queryOne("select 1 from conversation_message where conversation_id = ?"
                + " and audience @> array[?]::text[] limit 1", rs -> true, conversationId, staffId).isPresent();
    }

    /**
     * Whether a message showing this photo was posted to {@code staffId} and still shows it: a deleted message's photo
     * is shown to no one (the record keeps it for the export and the audit until retention; ADR 0039).
     */
    public boolean photoPostedTo(UUID photoId, String staffId) {
        return jdbc.queryOne("select 1 from conversation_message m where m.photo_id = ? and m.audience @> array[?]::text[]"
                + " and not " + DELETED + " limit 1", rs -> true, photoId, staffId).isPresent();
    }

    /** Whether every message that showed this photo has been deleted (false if none showed it yet). */
    public boolean photoDeleted(UUID photoId) {
        return jdbc.queryOne("select bool_and(" + DELETED + ") from conversation_message m where m.photo_id = ?",
                rs -> rs.getBoolean(1), photoId).orElse(false);
    }

    /** When each conversation last had a message. */
    public Map<UUID, Instant> lastPosted(Collection<UUID> ids) {
        Map<UUID, Instant> out = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.forEachRow("select conversation_id, max(posted_at) from conversation_message"
                            + " where conversation_id = any(?::uuid[]) group by conversation_id",
                    rs -> out.put(rs.getObject(1, UUID.class), Jdbc.instant(rs, 2)), (Object) ids(ids));
        }
        return out;
    }

    public void link(TaskLink link) {
        jdbc.update("insert into conversation_task_link (message_id, conversation_id, task_id, raised_by, raised_at)"
                + " values (?, ?, ?, ?, ?) on conflict do nothing", link.messageId(), link.conversationId(), link.taskId(),
                link.raisedBy(), link.raisedAt());
    }

    /** The tasks raised from these messages. */
    public List<TaskLink> linksFrom(Collection<UUID> messageIds) {
        return messageIds.isEmpty() ? List.of() : jdbc.query(LINKS + " where message_id = any(?::uuid[])",
                ConversationStore::link, (Object) ids(messageIds));
    }

    /** The message a task was raised from, if it was. */
    public Optional<TaskLink> origin(UUID taskId) {
        return jdbc.queryOne(LINKS + " where task_id = ?", ConversationStore::link, taskId);
    }

    /** Ids as a SQL text array, for {@code any(?::uuid[])}. */
    static String[] ids(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static TaskLink link(ResultSet rs) throws SQLException {
        return new TaskLink(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), Jdbc.instant(rs, 5));
    }

    private List<Conversation> conversations(String sql, Object... args) {
        return jdbc.query(sql, rs -> new Conversation(rs.getObject(1, UUID.class), Conversation.Kind.fromCode(rs.getString(2)),
                rs.getString(3), rs.getObject(4, UUID.class), strings(rs.getArray(5)), strings(rs.getArray(6)),
                strings(rs.getArray(7)), rs.getString(8), Jdbc.instant(rs, 9)), args);
    }

    private static Message message(ResultSet rs) throws SQLException {
        String changedBy = rs.getString(11);
        return new Message(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), strings(rs.getArray(6)), strings(rs.getArray(7)), Jdbc.instant(rs, 8), rs.getLong(9),
                rs.getObject(10, UUID.class),
                changedBy == null ? null : new Change(changedBy, Jdbc.instant(rs, 12), rs.getBoolean(13)));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
