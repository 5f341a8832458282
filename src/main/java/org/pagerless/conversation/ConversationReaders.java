package org.pagerless.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.pagerless.conversation.model.Receipts.Receipt;
import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What each reader has done with a conversation: which messages were delivered to them and which they read (receipts,
 * written by the reader's own request: facts about that reader alone), how many they have not read, and whether they
 * muted it. The messages themselves are the {@link ConversationStore}'s.
 */
@ApplicationScoped
public class ConversationReaders {
    @Inject
    Jdbc jdbc;

    /** Receipts of these messages, by message then member. */
    public Map<UUID, Map<String, Receipt>> receipts(Collection<UUID> messageIds) {
        Map<UUID, Map<String, Receipt>> out = new HashMap<>();
        if (messageIds.isEmpty()) {
            return out;
        }
        jdbc.forEachRow("select message_id, staff_id, delivered_at, read_at from conversation_receipt"
                        + " where message_id = any(?::uuid[])",
                rs -> out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), new Receipt(rs.getString(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4))),
                (Object) ConversationStore.ids(messageIds));
        return out;
    }

    /**
     * Marks every message of the conversation posted to {@code staffId} (not by them) as delivered, or read too: one
     * statement whatever the number of messages.
     */
    public void mark(UUID conversationId, String staffId, Instant at, boolean read) {
        jdbc.update("insert into conversation_receipt (message_id, staff_id, delivered_at, read_at)"
                + " select id, ?, ?::timestamptz, ?::timestamptz from conversation_message where conversation_id = ?"
                + " and audience @> array[?]::text[] and author is distinct from ? on conflict (message_id, staff_id)"
                + " do update set read_at = coalesce(conversation_receipt.read_at, excluded.read_at)",
                staffId, at, read ? at : null, conversationId, staffId, staffId);
    }

    /** How many messages posted to {@code staffId} by others they have not read, per conversation. */
    public Map<UUID, Integer> unread(String staffId) {
        Map<UUID, Integer> out = new HashMap<>();
        jdbc.forEachRow("select m.conversation_id, count(*) from conversation_message m where m.audience @> array[?]::text[]"
                + " and m.kind = 'text' and m.author is distinct from ? and not exists (select 1 from conversation_receipt r"
                + " where r.message_id = m.id and r.staff_id = ? and r.read_at is not null) group by m.conversation_id",
                rs -> out.put(rs.getObject(1, UUID.class), rs.getInt(2)), staffId, staffId, staffId);
        return out;
    }

    /** Who has muted each of these conversations, on the caller's transaction. */
    Map<UUID, Set<String>> muted(Connection con, Collection<UUID> conversationIds) throws SQLException {
        Map<UUID, Set<String>> out = new HashMap<>();
        Jdbc.query(con, "select conversation_id, staff_id from conversation_mute where conversation_id = any(?::uuid[])",
                rs -> out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashSet<>()).add(rs.getString(2)),
                (Object) ConversationStore.ids(conversationIds));
        return out;
    }

    /** The conversations {@code staffId} has muted. */
    public Set<UUID> mutedBy(String staffId) {
        Set<UUID> out = new HashSet<>();
        jdbc.forEachRow("select conversation_id from conversation_mute where staff_id = ?",
                rs -> out.add(rs.getObject(1, UUID.class)), staffId);
        return out;
    }

    /** Mutes (or unmutes) a conversation for one person; doing it twice changes nothing. */
    public void mute(UUID conversationId, String staffId, boolean muted, Instant at) {
        if (muted) {
            jdbc.update("insert into conversation_mute (conversation_id, staff_id, muted_at) values (?, ?, ?)"
                    + " on conflict do nothing", conversationId, staffId, at);
        } else {
            jdbc.update("delete from conversation_mute where conversation_id = ? and staff_id = ?", conversationId, staffId);
        }
    }
}
