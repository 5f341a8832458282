package org.pagerless.conversation;

import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.TextField;
import org.pagerless.platform.Ids;
import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.ConversationStore.TaskLink;
import org.pagerless.conversation.ConversationViews.ConversationView;
import org.pagerless.conversation.ConversationViews.MessageView;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.ConversationCommand.PostMessage;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.Topics;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Reading and posting in conversations. A task's thread has the task's id. Members now read everything and post;
 * someone who has left (the day team after 20:00) reads only what was posted while they were in; anyone else: 403.
 */
@Path("/api/v1/conversations")
@Tag(name = "Conversations")
@RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
public class ConversationResource {
    static final int MAX_BODY = 4000;

    @Inject
    ConversationStore store;
    @Inject
    ConversationReaders readers;
    @Inject
    ConversationMembers members;
    @Inject
    ConversationViews views;
    @Inject
    ConversationCodec codec;
    @Inject
    Kafka kafka;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;
    @Inject
    PhotoStorage photos;
    @Inject
    PatientReadAudit audit;

    /**
     * A message to post: plain text, where {@code @staff.id} and {@code @role-id} mention people, and optionally a
     * photo uploaded first (its id from {@code POST …/photos}); with a photo the text may be empty.
     */
    public record PostBody(String body, String photo) {
        @Override
        public String toString() {
            return "PostBody[redacted]";
        }
    }

    /** The answer to a post: the message's id; it is stored and pushed live within moments. */
    public record Posted(UUID id, UUID conversationId) {
    }

    @GET
    @Operation(summary = "My conversations", description = "Rooms I am in now (the rota decides), groups, role and "
            + "direct conversations, and task threads I was posted to; with unread counts, most recent first.")
    public List<ConversationView> mine() {
        String me = caller().staffId();
        Map<UUID, Integer> unread = readers.unread(me);
        Set<UUID> muted = readers.mutedBy(me);
        List<Conversation> candidates = store.candidatesFor(me);
        Map<UUID, Instant> last = store.lastPosted(candidates.stream().map(Conversation::id).toList());
        List<ConversationView> out = new ArrayList<>();
        for (Conversation c : candidates) {
            Set<String> now = members.membersNow(c);
            boolean member = now.contains(me) || (c.kind() == Conversation.Kind.TASK && members.isMember(c, me));
            if (member || unread.containsKey(c.id()) || store.everReceived(c.id(), me)) {
                out.add(views.conversation(c, now, member, unread.getOrDefault(c.id(), 0), last.get(c.id()), null,
                        muted.contains(c.id())));
            }
        }
        out.sort(Comparator.comparing(ConversationView::lastMessageAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A conversation and who is in it now", description = "A task's thread has the task's id.")
    public ConversationView get(@PathParam("id") String id) {
        Conversation c = readable(id);
        String me = caller().staffId();
        TaskLink origin = c.taskId() == null ? null : store.origin(c.taskId()).orElse(null);
        return views.conversation(c, members.membersNow(c), members.isMember(c, me),
                readers.unread(me).getOrDefault(c.id(), 0), null, origin, readers.mutedBy(me).contains(c.id()));
    }

    @PUT
    @Path("{id}/mute")
    @Operation(summary = "Mute a conversation for me", description = "No Web Push for its messages any more, except "
            + "those that mention me; it stays in my list with its unread count. Muting twice changes nothing.")
    public ConversationView mute(@PathParam("id") String id) {
        return muted(id, true);
    }

    @DELETE
    @Path("{id}/mute")
    @Operation(summary = "Unmute a conversation for me")
    public ConversationView unmute(@PathParam("id") String id) {
        return muted(id, false);
    }

    private ConversationView muted(String id, boolean muted) {
        Conversation c = readable(id);
        String me = caller().staffId();
        readers.mute(c.id(), me, muted, clock.instant());
        return views.conversation(c, members.membersNow(c), members.isMember(c, me), null, null, null, muted);
    }

    @GET
    @Path("{id}/messages")
    @Operation(summary = "Messages, oldest first", description = "The last `limit` messages I may see, optionally "
            + "only those containing `q`. Reading marks them delivered to me; receipts say who has read each.")
    public List<MessageView> messages(@PathParam("id") String id,
                                      @Parameter(description = "Only messages containing this text, ignoring case") @QueryParam("q") String q,
                                      @QueryParam("limit") Integer limit) {
        Conversation c = readable(id);
        String me = caller().staffId();
        int max = limit == null ? 200 : limit;
        if (max < 1 || max > 500) {
            throw new InvalidRequest("limit", "must be between 1 and 500");
        }
        if (q != null && (q.isBlank() || q.length() > 200)) {
            throw new InvalidRequest("q", "must be 1 to 200 characters");
        }
        boolean member = members.isMember(c, me);
        readers.mark(c.id(), me, clock.instant(), false);
        List<Message> found = store.messages(c.id(), member ? null : me, q, max);
        audited(c, "GET /api/v1/conversations/{id}/messages");
        List<UUID> ids = found.stream().map(Message::id).toList();
        var receipts = readers.receipts(ids);
        Map<UUID, List<TaskLink>> links = store.linksFrom(ids).stream().collect(Collectors.groupingBy(TaskLink::messageId));
        return found.stream().map(m -> views.message(m, receipts.getOrDefault(m.id(), Map.of()),
                links.getOrDefault(m.id(), List.of()))).toList();
    }

    @POST
    @Path("{id}/messages")
    @Operation(summary = "Post a message", description = "202 once the broker has it; it is stored in order and "
            + "pushed on /api/v1/live to everyone in the conversation. `@staff.id` and `@role-id` mention people.")
    public Response post(@PathParam("id") String id, PostBody body,
                         @Parameter(description = "Retrying with the same key posts the message once")
                         @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Conversation c = members.find(parse(id, "conversation")).orElseThrow(() -> ProblemException.notFound("no conversation with id " + id));
        String me = caller().staffId();
        if (!members.isMember(c, me)) {
            throw ProblemException.forbidden(c.kind() == Conversation.Kind.TASK
                    ? "only the task's requester, the people it was offered to, its owner and the ward's nurse in charge may post in its thread"
                    : "you are not in this conversation now");
        }
        String text = body == null ? null : TextField.trimmed(body.body());
        UUID photo = body == null || body.photo() == null ? null : photo(c, me, body.photo());
        if (text == null && photo == null) {
            throw new InvalidRequest("body", "must not be empty");
        }
        text = text == null ? "" : checkLength(text);
        UUID messageId = idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID()
                : Ids.derived("message", c.id(), me, idempotencyKey);
        PostMessage command = new PostMessage(messageId, c.id(), me, text, clock.instant(), photo);
        kafka.sendAndWait(new ProducerRecord<>(Topics.CONVERSATION_COMMANDS, c.id().toString(), codec.command(command)));
        return Response.accepted(new Posted(messageId, c.id()))
                .location(URI.create("/api/v1/conversations/" + c.id() + "/messages/" + messageId)).build();
    }

    @GET
    @Path("{id}/messages/{messageId}")
    @Operation(summary = "One message with its receipts")
    public MessageView message(@PathParam("id") String id, @PathParam("messageId") String messageId) {
        Conversation c = readable(id);
        String me = caller().staffId();
        Message m = store.message(parse(messageId, "message")).filter(found -> found.conversationId().equals(c.id()))
                .orElseThrow(() -> ProblemException.notFound("no message with id " + messageId + " in this conversation"));
        if (!members.isMember(c, me) && !m.audience().contains(me)) {
            throw ProblemException.forbidden("this message was posted before you were in the conversation");
        }
        audited(c, "GET /api/v1/conversations/{id}/messages/{messageId}");
        return views.message(m, readers.receipts(List.of(m.id())).getOrDefault(m.id(), Map.of()), store.linksFrom(List.of(m.id())));
    }

    @POST
    @Path("{id}/read")
    @Operation(summary = "I have read the conversation", description = "Marks every message posted to me as read now.")
    public Response read(@PathParam("id") String id) {
        Conversation c = readable(id);
        readers.mark(c.id(), caller().staffId(), clock.instant(), true);
        return Response.noContent().build();
    }

    /** A message's text, within {@link #MAX_BODY} characters; else 400 naming {@code body}. */
    static String checkLength(String text) {
        if (text.length() > MAX_BODY) {
            throw new InvalidRequest("body", TextField.tooLong(MAX_BODY));
        }
        return text;
    }

    /** A photo this person uploaded to this conversation, named in a post; otherwise 400 naming {@code photo}. */
    private UUID photo(Conversation c, String me, String id) {
        UUID photoId;
        try {
            photoId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("photo", "must be the id of a photo you uploaded to this conversation");
        }
        return photos.about(photoId).filter(p -> p.conversationId().equals(c.id()) && p.uploadedBy().equals(me))
                .map(PhotoStorage.StoredPhoto::id)
                .orElseThrow(() -> new InvalidRequest("photo", "must be the id of a photo you uploaded to this conversation"));
    }

    /** A task thread is read in its patient's context: the read is audited like a read of the task (fails closed). */
    void audited(Conversation c, String channel) {
        members.patientOf(c).ifPresent(subject -> audit.readOverHttp(channel, List.of(subject)));
    }

    /** The conversation, if the caller is in it now or was posted something in it; else 404 or 403. */
    Conversation readable(String id) {
        Conversation c = members.find(parse(id, "conversation")).orElseThrow(() -> ProblemException.notFound("no conversation with id " + id));
        String me = caller().staffId();
        if (!members.isMember(c, me) && !store.everReceived(c.id(), me)) {
            throw ProblemException.forbidden(c.kind() == Conversation.Kind.TASK
                    ? "only the task's requester, the people it was offered to, its owner and the ward's nurse in charge may read its thread"
                    : "you are not in this conversation");
        }
        return c;
    }

    /** An id from the path; one that is not a UUID names nothing: 404 saying what was looked for. */
    static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no " + what + " with id " + id);
        }
    }

    private Caller caller() {
        return Caller.of(identity);
    }
}
