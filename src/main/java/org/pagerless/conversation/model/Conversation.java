package org.pagerless.conversation.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A place where staff talk: the thread of a task, a room that follows the rota, an ad-hoc group, a conversation
 * with whoever holds a role, or two people. Who is in it is never stored: {@link Membership} works it out from
 * {@code roleIds}, {@code wardIds} and {@code memberIds} (or, for a task thread, from the task) at each instant.
 */
public record Conversation(UUID id, Kind kind, String title, UUID taskId, List<String> roleIds, List<String> wardIds,
                           List<String> memberIds, String createdBy, Instant createdAt) {

    /** What sort of conversation; the code is what the API and the database say. */
    public enum Kind {
        TASK, ROOM, GROUP, ROLE, DIRECT;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind fromCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Conversation {
        roleIds = roleIds == null ? List.of() : List.copyOf(roleIds);
        wardIds = wardIds == null ? List.of() : List.copyOf(wardIds);
        memberIds = memberIds == null ? List.of() : List.copyOf(memberIds);
    }

    /** The thread of a task has the task's id, so task events and posts find it without a lookup. */
    public static Conversation taskThread(UUID taskId, String title, Instant at) {
        return new Conversation(taskId, Kind.TASK, title, taskId, List.of(), List.of(), List.of(), "system", at);
    }

    /** The one conversation between two people, whoever opens it first. */
    public static UUID directId(String a, String b) {
        String pair = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        return UUID.nameUUIDFromBytes(("direct:" + pair).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The one conversation between a person and whoever holds a role: the next holder finds it there. */
    public static UUID roleId(String staffId, String roleId) {
        return UUID.nameUUIDFromBytes(("role:" + staffId + "|" + roleId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
