package org.pagerless.conversation;

import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.Ids;
import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.ConversationStore.TaskLink;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.ConversationCommand.PostSystemLine;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.intake.Intake;
import org.pagerless.intake.IntakeRequests.Accepted;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.Topics;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Turns a message into a task or a bleep in one action, through intake like any other raising (validated the same
 * way, 202 when the broker has it), so an urgent request gets escalation and acknowledgement instead of being lost
 * in chat. The message keeps a link to the task and the task's thread says where it came from. Raising the same
 * message twice as the same person raises one task.
 */
@Path("/api/v1/conversations/{id}/messages/{messageId}")
@Tag(name = "Conversations")
@RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
public class ConversationRaiseResource {
    @Inject
    ConversationResource conversations;
    @Inject
    ConversationStore store;
    @Inject
    ConversationMembers members;
    @Inject
    ConversationViews views;
    @Inject
    ConversationCodec codec;
    @Inject
    Intake intake;
    @Inject
    Kafka kafka;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;

    @POST
    @Path("task")
    @Operation(summary = "Raise a task from a message", description = "The body is a task request as for "
            + "POST /api/v1/tasks; `detail` defaults to the message's text.")
    public Response task(@PathParam("id") String id, @PathParam("messageId") String messageId,
                                          TaskRequest request) {
        Message m = message(id, messageId);
        TaskRequest req = request == null ? new TaskRequest(null, null, null, null, m.body(), null, null, null)
                : request.detail() == null ? new TaskRequest(request.to(), request.patient(), request.location(),
                        request.type(), m.body(), request.priority(), request.news2(), request.fyi()) : request;
        return link(m, intake.task(req, caller().staffId(), key(m)), "task");
    }

    @POST
    @Path("bleep")
    @Operation(summary = "Bleep from a message", description = "The body is a bleep as for POST /api/v1/bleeps; "
            + "`message` defaults to the message's text.")
    public Response bleep(@PathParam("id") String id, @PathParam("messageId") String messageId,
                                           BleepRequest request) {
        Message m = message(id, messageId);
        BleepRequest req = request == null ? new BleepRequest(null, null, m.body(), null, null)
                : request.message() == null ? new BleepRequest(request.to(), request.callback(), m.body(),
                        request.priority(), request.fyi()) : request;
        return link(m, intake.bleep(req, caller().staffId(), key(m)), "bleep");
    }

    /**
     * Waits (on this worker thread) for the broker to have the raise, then keeps the link and says so in the
     * conversation. Intake completes on the request's event loop, which this wait does not block.
     */
    private Response link(Message m, CompletionStage<Accepted> raised, String what) {
        String me = caller().staffId();
        Accepted accepted;
        try {
            accepted = raised.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Kafka.BrokerUnavailable(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new Kafka.BrokerUnavailable(e.getCause());
        }
        store.link(new TaskLink(m.id(), m.conversationId(), accepted.id(), me, clock.instant()));
        UUID lineId = Ids.derived("raised-from", accepted.id());
        String line = "Raised as a " + what + " (" + accepted.id().toString().substring(0, 6).toUpperCase(java.util.Locale.ROOT)
                + ") by " + views.nameOf(me);
        kafka.sendAndWait(new ProducerRecord<>(Topics.CONVERSATION_COMMANDS, m.conversationId().toString(),
                codec.command(new PostSystemLine(lineId, m.conversationId(), line, clock.instant()))));
        return accepted.response();
    }

    /** The message, if the caller may see it. */
    private Message message(String id, String messageId) {
        Conversation c = conversations.readable(id);
        Message m = store.message(ConversationResource.parse(messageId, "message")).filter(found -> found.conversationId().equals(c.id()))
                .orElseThrow(() -> ProblemException.notFound("no message with id " + messageId + " in this conversation"));
        String me = caller().staffId();
        if (!"text".equals(m.kind()) || (!members.isMember(c, me) && !m.audience().contains(me))) {
            throw ProblemException.forbidden("only a message you were posted can be raised as a task");
        }
        return m;
    }

    private static String key(Message m) {
        return "conversation-message:" + m.id();
    }

    private Caller caller() {
        return Caller.of(identity);
    }
}
