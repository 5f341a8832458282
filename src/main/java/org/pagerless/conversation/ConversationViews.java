package org.pagerless.conversation;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.ConversationStore.TaskLink;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.Receipts;
import org.pagerless.conversation.model.Receipts.Receipt;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Staff;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Conversations and messages as the API, the live feed and the apps show them, with names resolved. */
@ApplicationScoped
public class ConversationViews {
    @Inject
    ReferenceData referenceData;

    private static final java.time.format.DateTimeFormatter HH_MM = java.time.format.DateTimeFormatter.ofPattern("HH:mm");

    @ConfigProperty(name = "pagerless.hospital.zone", defaultValue = "Europe/London")
    ZoneId zone;

    public record Person(String id, String name) {
    }

    /** A task raised from a message, or the message a task was raised from. */
    public record Link(UUID taskId, UUID conversationId, UUID messageId, Person by, Instant at) {
    }

    /**
     * One message as it now reads; {@code receipts} in words ("read by Dr Fiona Bell 14:02, not yet by 2"), for its
     * author. {@code edited} ("edited by Dr Raj Patel 14:05") or {@code deleted} ("deleted by Dr Raj Patel at 14:05",
     * and no {@code body}) when it has a later version; {@code photo} the address of its photo, for members only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageView(UUID id, UUID conversationId, String kind, Person author, String body, Instant postedAt,
                              List<Person> mentions, String receipts, List<ReceiptView> receivedBy, List<Link> raised,
                              String photo, String edited, String deleted) {
        @Override
        public String toString() {
            return "MessageView[" + id + "]";
        }
    }

    /** One member's receipt of a message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReceiptView(Person member, String state, Instant deliveredAt, Instant readAt) {
    }

    /** A conversation: who is in it now, and for the list how many messages the reader has not read. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConversationView(UUID id, String kind, String title, UUID taskId, List<String> roles, List<String> wards,
                                   List<Person> members, boolean member, Integer unread, Instant lastMessageAt,
                                   Link raisedFrom, Boolean muted) {
    }

    /**
     * What the live feed carries to the apps for a stored message ({@code type} MessagePosted), or one edited or
     * deleted (MessageEdited, MessageDeleted: the message as it now reads), without receipts; who it goes to travels
     * in the Kafka record's headers (see {@link ConversationFeed}).
     */
    public record MessagePosted(String type, UUID conversationId, String title, MessageView message) {
        @Override
        public String toString() {
            return "MessagePosted[" + message.id() + "]";
        }
    }

    public Person person(String staffId) {
        return staffId == null ? null : new Person(staffId, nameOf(staffId));
    }

    public String nameOf(String staffId) {
        return referenceData.hospital().staff(staffId).map(Staff::displayName).orElse(staffId);
    }

    /** A message as the live feed shows it: no receipts (a new one has none; its author asks for them over HTTP). */
    public MessageView live(Message m) {
        return message(m, null, List.of());
    }

    /** A message with its receipts ({@code receipts} null: without them) and the tasks raised from it. */
    public MessageView message(Message m, Map<String, Receipt> receipts, List<TaskLink> raised) {
        List<ReceiptView> received = null;
        String words = null;
        if ("text".equals(m.kind()) && receipts != null) {
            words = Receipts.describe(m.author(), m.audience(), receipts, this::nameOf, zone);
            received = m.audience().stream().filter(s -> !s.equals(m.author())).map(s -> {
                Receipt r = receipts.get(s);
                String state = r == null ? "sent" : r.readAt() != null ? "read" : "delivered";
                return new ReceiptView(person(s), state, r == null ? null : r.deliveredAt(), r == null ? null : r.readAt());
            }).toList();
        }
        String edited = null;
        String deleted = null;
        if (m.change() != null) {
            String when = HH_MM.format(m.change().at().atZone(zone));
            if (m.deleted()) {
                deleted = "deleted by " + nameOf(m.change().by()) + " at " + when;
            } else {
                edited = "edited by " + nameOf(m.change().by()) + " " + when;
            }
        }
        return new MessageView(m.id(), m.conversationId(), m.kind(), person(m.author()), m.body(), m.postedAt(),
                m.mentions().stream().map(this::person).toList(), words, received,
                raised.isEmpty() ? null : raised.stream().map(this::link).toList(),
                m.photoId() == null || m.deleted() ? null : photoPath(m.conversationId(), m.photoId()), edited, deleted);
    }

    /** Where the app fetches a photo: only members get it, never cached (see ConversationPhotoResource). */
    public static String photoPath(UUID conversationId, UUID photoId) {
        return "/api/v1/conversations/" + conversationId + "/photos/" + photoId;
    }

    /** One version of a message in its history. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionView(String body, Person by, Instant at, String change) {
        @Override
        public String toString() {
            return "VersionView[" + at + "]";
        }
    }

    public List<VersionView> versions(List<ConversationStore.Version> versions) {
        List<VersionView> out = new java.util.ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            ConversationStore.Version v = versions.get(i);
            out.add(new VersionView(v.body(), person(v.by()), v.at(), i == 0 ? "posted" : v.deleted() ? "deleted" : "edited"));
        }
        return out;
    }

    public Link link(TaskLink l) {
        return new Link(l.taskId(), l.conversationId(), l.messageId(), person(l.raisedBy()), l.raisedAt());
    }

    public ConversationView conversation(Conversation c, Set<String> membersNow, boolean member, Integer unread,
                                         Instant lastMessageAt, TaskLink raisedFrom) {
        return conversation(c, membersNow, member, unread, lastMessageAt, raisedFrom, null);
    }

    /** {@code muted}: whether the reader has muted it (null where not asked). */
    public ConversationView conversation(Conversation c, Set<String> membersNow, boolean member, Integer unread,
                                         Instant lastMessageAt, TaskLink raisedFrom, Boolean muted) {
        return new ConversationView(c.id(), c.kind().code(), c.title(), c.taskId(), c.roleIds(), c.wardIds(),
                membersNow.stream().map(this::person).toList(), member, unread, lastMessageAt,
                raisedFrom == null ? null : link(raisedFrom), muted);
    }
}
