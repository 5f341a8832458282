package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** The signed-in person's notifications: what was sent to them on which channel, and read receipts from the app. */
@Path("/api/v1/me/notifications")
@Tag(name = "Me")
@Authenticated
public class NotificationResource {
    @Inject
    DeliveryOutbox outbox;
    @Inject
    SecurityIdentity identity;
    @Inject
    InstantSource clock;

    /** One delivery as its recipient sees it; no clinical detail (that is on the task). */
    public record View(UUID id, UUID taskId, String ref, String channel, String priority, String status, String reason,
                       Instant dueAt, Instant updatedAt) {
        static View of(Delivery d) {
            return new View(d.id(), d.taskId(), d.ref(), d.channel().code(), d.priority(), d.status().code(),
                    d.reason(), d.dueAt(), d.updatedAt());
        }
    }

    @GET
    @Operation(summary = "My delivery history", description = "Newest first, every channel, the latest 200; with "
            + "task=<id>, every delivery of that task to me (the phone app's detail view).")
    public List<View> mine(@QueryParam("task") String task) throws SQLException {
        String me = Caller.of(identity).staffId();
        if (task == null || task.isBlank()) {
            return outbox.ofStaff(me, 200).stream().map(View::of).toList();
        }
        UUID taskId;
        try {
            taskId = UUID.fromString(task.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("task", "is not a task id");
        }
        return outbox.ofStaffAndTask(me, taskId).stream().map(View::of).toList();
    }

    @POST
    @Path("{id}/delivered")
    @Operation(summary = "In-app receipt", description = "The app calls this when its inbox shows the notification: "
            + "an in-app notification moves from sent to delivered (\"delivered, not seen\" on the board). Anything "
            + "else is left as it is; the answer is the notification as it now is.")
    public View delivered(@PathParam("id") String id) throws SQLException {
        UUID deliveryId;
        try {
            deliveryId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no notification with id " + id);
        }
        String me = Caller.of(identity).staffId();
        Delivery d = outbox.byId(deliveryId).filter(x -> x.staffId().equals(me))
                .orElseThrow(() -> ProblemException.notFound("no notification with id " + id));
        // Only once the dispatcher has put it in the inbox (sent): never race its claim of a pending row.
        if (d.channel() == Channel.IN_APP && d.status() == DeliveryStatus.SENT) {
            return outbox.move(deliveryId, me, DeliveryStatus.DELIVERED, "shown in the app", clock.instant())
                    .map(View::of).orElseThrow(() -> ProblemException.notFound("no notification with id " + id));
        }
        return View.of(d);
    }

    @POST
    @Path("{id}/read")
    @Operation(summary = "Read receipt", description = "The app calls this when it has shown the notification: "
            + "later fallback steps (SMS) for it are then withdrawn.")
    public View read(@PathParam("id") String id) throws SQLException {
        UUID deliveryId;
        try {
            deliveryId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no notification with id " + id);
        }
        return outbox.move(deliveryId, Caller.of(identity).staffId(), DeliveryStatus.READ, null, clock.instant())
                .map(View::of).orElseThrow(() -> ProblemException.notFound("no notification with id " + id));
    }
}
