package org.pagerless.board;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.TextField;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.TaskView;
import org.pagerless.task.model.TaskKind;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * What the switchboard console shares between operators, kept on the server so it survives a reload and shows on
 * every console: the bleeps and broadcasts sent lately (with their live state and roll-calls), and who has taken
 * on or dealt with each alert in "Needs a human".
 */
@Path("/api/v1/board")
@Tag(name = "Board")
public class SwitchboardResource {
    /** How far back the console's "Sent" list reaches: a night shift. */
    static final Duration SENT_SHOWN_FOR = Duration.ofHours(12);
    static final int MAX_SENT = 200;

    @Inject
    TaskQueries queries;
    @Inject
    StaffNow staffNow;
    @Inject
    AlertClaims claims;
    @Inject
    LiveSessions live;
    @Inject
    SecurityIdentity identity;

    /** Body of a resolve: what was done about it, optional. */
    public record ResolveBody(String note) {
    }

    @GET
    @Path("sent")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Bleeps and broadcasts sent in the last 12 hours", description = "Newest first, each with "
            + "its status, priority, step of its chain and, for a broadcast, its roll-call. At most 200.")
    public List<TaskView> sent() {
        return queries.raisedSince(List.of(TaskKind.BLEEP, TaskKind.BROADCAST), staffNow.now().minus(SENT_SHOWN_FOR),
                MAX_SENT).stream().map(t -> TaskView.of(t, staffNow.hospital())).toList();
    }

    @POST
    @Path("alerts/{id}/claim")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Say you are dealing with an alert", description = "Every console then shows who claimed "
            + "it and when. Claiming again (or someone else claiming) replaces the claim. 204.")
    public void claim(@PathParam("id") String id) {
        UUID taskId = existing(id);
        claims.claim(taskId, Caller.of(identity).staffId(), staffNow.now());
        live.nudge(taskId, "AlertClaimed");
    }

    @POST
    @Path("alerts/{id}/resolve")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Say an alert has been dealt with", description = "It leaves Needs a human on every "
            + "console (a later alert on the same task brings it back); who and when are kept. 204.")
    public void resolve(@PathParam("id") String id, ResolveBody body) {
        UUID taskId = existing(id);
        String note = TextField.optional("note", body == null ? null : body.note(), 200);
        claims.resolve(taskId, Caller.of(identity).staffId(), staffNow.now(), note);
        live.nudge(taskId, "AlertResolved");
    }

    /** One claim or resolution in words, for the task's timeline. */
    public record ClaimLine(String what, TaskView.PersonView by, java.time.Instant at, String note, String text) {
    }

    @GET
    @Path("alerts/{id}/history")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Who claimed and dealt with a task's alerts, and when", description = "Every claim and "
            + "resolution, oldest first, each in words (\"Claimed by Jo White: I am dealing with it\"); the task "
            + "details show them in its timeline.")
    public List<ClaimLine> history(@PathParam("id") String id) {
        UUID taskId = existing(id);
        return claims.history(taskId).stream().map(c -> {
            TaskView.PersonView by = new TaskView.PersonView(c.by(), staffNow.nameOf(c.by()));
            String text = "claimed".equals(c.what()) ? "Alert claimed by " + by.name() + ": dealing with it"
                    : "Alert dealt with by " + by.name() + (c.note() == null ? "" : ": " + c.note());
            return new ClaimLine(c.what(), by, c.at(), c.note(), text);
        }).toList();
    }

    private UUID existing(String id) {
        UUID taskId;
        try {
            taskId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("There is no such task.");
        }
        if (queries.find(taskId).isEmpty()) {
            throw ProblemException.notFound("There is no such task.");
        }
        return taskId;
    }
}
