package org.pagerless.conversation;

import java.time.InstantSource;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.TextField;
import org.pagerless.platform.Ids;
import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.ConversationViews.VersionView;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.ConversationCommand;
import org.pagerless.conversation.model.ConversationCommand.DeleteMessage;
import org.pagerless.conversation.model.ConversationCommand.EditMessage;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Edits and deletions, kept as new versions (ADR 0039): the author changes or deletes their own message while they
 * are in the conversation; the change goes through the conversation's one writer (in order with its posts) and the
 * message then reads "edited by … 14:05" or "deleted by … at 14:05". Nothing said is ever overwritten: every version
 * stays in the record and in the message's history.
 */
@Path("/api/v1/conversations")
@Tag(name = "Conversations")
@RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
public class MessageChangesResource {
    @Inject
    ConversationResource conversations;
    @Inject
    ConversationMembers members;
    @Inject
    ConversationStore store;
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

    /** The new text of a message. */
    public record EditBody(String body) {
        @Override
        public String toString() {
            return "EditBody[redacted]";
        }
    }

    /** The answer to an edit or deletion: the version's id; the message changes within moments. */
    public record Changed(UUID messageId, UUID versionId) {
    }

    @PUT
    @Path("{id}/messages/{messageId}")
    @Operation(summary = "Edit my message", description = "202 once the broker has it; stored as a new version, "
            + "announced live as MessageEdited. Only the author, while in the conversation, and not once deleted.")
    public Response edit(@PathParam("id") String id, @PathParam("messageId") String messageId, EditBody body,
                         @Parameter(description = "Retrying with the same key edits once")
                         @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Message m = mine(id, messageId);
        String text = body == null ? null : TextField.trimmed(body.body());
        if (text == null && m.photoId() == null) {
            throw new InvalidRequest("body", "must not be empty (delete the message instead)");
        }
        text = text == null ? "" : ConversationResource.checkLength(text);
        String me = Caller.of(identity).staffId();
        UUID versionId = versionId(m, me, "edit", idempotencyKey);
        send(new EditMessage(m.id(), m.conversationId(), versionId, me, text, clock.instant()));
        return Response.accepted(new Changed(m.id(), versionId)).build();
    }

    @DELETE
    @Path("{id}/messages/{messageId}")
    @Operation(summary = "Delete my message", description = "202 once the broker has it; stored as a version with no "
            + "text, so the message reads \"deleted by … at …\" and the record keeps what was said. Announced live as "
            + "MessageDeleted. Only the author, while in the conversation.")
    public Response delete(@PathParam("id") String id, @PathParam("messageId") String messageId,
                           @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Message m = mine(id, messageId);
        String me = Caller.of(identity).staffId();
        UUID versionId = versionId(m, me, "delete", idempotencyKey);
        send(new DeleteMessage(m.id(), m.conversationId(), versionId, me, clock.instant()));
        return Response.accepted(new Changed(m.id(), versionId)).build();
    }

    @GET
    @Path("{id}/messages/{messageId}/versions")
    @Operation(summary = "A message's history", description = "Every version oldest first: as posted, each edit, and "
            + "a deletion (no text). To those the message was posted to; audited in a task thread.")
    public List<VersionView> versions(@PathParam("id") String id, @PathParam("messageId") String messageId) {
        Conversation c = conversations.readable(id);
        Message m = message(c, messageId);
        String me = Caller.of(identity).staffId();
        if (!members.isMember(c, me) && !m.audience().contains(me)) {
            throw ProblemException.forbidden("this message was posted before you were in the conversation");
        }
        conversations.audited(c, "GET /api/v1/conversations/{id}/messages/{messageId}/versions");
        return views.versions(store.versions(m));
    }

    /** The caller's own message in a conversation they are in now, not deleted; else 404, 403 or 409. */
    private Message mine(String id, String messageId) {
        Conversation c = members.find(ConversationResource.parse(id, "conversation"))
                .orElseThrow(() -> ProblemException.notFound("no conversation with id " + id));
        Message m = message(c, messageId);
        String me = Caller.of(identity).staffId();
        if (!me.equals(m.author()) || !"text".equals(m.kind())) {
            throw ProblemException.forbidden("only its author may change a message");
        }
        if (!members.isMember(c, me)) {
            throw ProblemException.forbidden("you are not in this conversation now");
        }
        if (m.deleted()) {
            throw ProblemException.conflict("this message was " + views.message(m, java.util.Map.of(), List.of()).deleted());
        }
        return m;
    }

    private Message message(Conversation c, String messageId) {
        return store.message(ConversationResource.parse(messageId, "message"))
                .filter(found -> found.conversationId().equals(c.id()))
                .orElseThrow(() -> ProblemException.notFound("no message with id " + messageId + " in this conversation"));
    }

    private static UUID versionId(Message m, String me, String what, String idempotencyKey) {
        return idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID()
                : Ids.derived(what, m.id(), me, idempotencyKey);
    }

    private void send(ConversationCommand command) {
        kafka.sendAndWait(new ProducerRecord<>(Topics.CONVERSATION_COMMANDS, command.conversationId().toString(),
                codec.command(command)));
    }
}
