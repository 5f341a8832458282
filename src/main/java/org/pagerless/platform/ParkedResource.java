package org.pagerless.platform;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.ParkedRecords.Parked;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Records a consumer parked as poison (ADR 0013): list them, see one (its original bytes, headers and the reason),
 * replay it through the same consumer (after fixing what made it fail: the rota, the code) or discard it. Every
 * record shown is audited as a read of patient data ({@link ParkedRecordsRead}): it can hold an NHS number and name.
 */
@Path("/api/v1/admin/parked")
@Tag(name = "Operations")
@RolesAllowed(AppRoles.ADMIN)
public class ParkedResource {
    private static final long REPLAY_WAIT_SECONDS = 15;

    @Inject
    ParkedRecords parked;
    @Inject
    Consumers consumers;
    @Inject
    SecurityIdentity identity;
    @Inject
    jakarta.enterprise.event.Event<ParkedRecordsRead> reads;

    @GET
    @Operation(summary = "Parked records", description = "Newest first. status: WAITING (default), REPLAYED, "
            + "DISCARDED or ALL; consumer: e.g. task-processor, delivery-planner, delivery-outbox, intake-consumer, "
            + "task-event-feed, rota-event-feed.")
    public List<Parked> list(@QueryParam("status") @DefaultValue("WAITING") String status,
            @QueryParam("consumer") String consumer,
            @Parameter(description = "1 to 500") @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        if (!List.of("WAITING", "REPLAYED", "DISCARDED", "ALL").contains(status)) {
            throw new InvalidRequest("status", "must be WAITING, REPLAYED, DISCARDED or ALL");
        }
        if (limit < 1 || limit > 500) {
            throw new InvalidRequest("limit", "must be between 1 and 500");
        }
        return shown("GET /api/v1/admin/parked", parked.list("ALL".equals(status) ? null : status, consumer, limit));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One parked record", description = "value is the text when it is UTF-8; valueBase64 always "
            + "has the original bytes.")
    public Parked show(@PathParam("id") String id) throws SQLException {
        return shown("GET /api/v1/admin/parked/{id}", parked.find(uuid(id))
                .orElseThrow(() -> ProblemException.notFound("no parked record " + id)));
    }

    @POST
    @Path("{id}/replay")
    @Operation(summary = "Handle a parked record again", description = "Through the consumer that parked it, on its "
            + "own thread. 200 and status REPLAYED when handled; 422 with the reason when it is poison still (it "
            + "stays parked); 503 when something it needs is unavailable (retry later); 409 if it is not waiting.")
    public Response replay(@PathParam("id") String id) throws SQLException, InterruptedException {
        Parked record = waiting(uuid(id));
        TrackedConsumer loop = consumers.named(record.consumer()).orElseThrow(() -> new ProblemException(409, "Conflict",
                "no consumer named " + record.consumer() + " runs here"));
        var original = parked.original(record.id()).orElseThrow();
        try {
            loop.replay(original).get(REPLAY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TrackedConsumer.Poisoned poisoned) {
                parked.stillPoison(record.id(), poisoned.getMessage());
                throw new ProblemException(422, "Still poison", poisoned.getMessage());
            }
            return unavailable(e.getCause().getMessage());
        } catch (TimeoutException e) {
            return unavailable(record.consumer() + " did not get to it within " + REPLAY_WAIT_SECONDS + " s");
        }
        parked.resolve(record.id(), "REPLAYED", identity.getPrincipal().getName());
        return Response.ok(shown("POST /api/v1/admin/parked/{id}/replay", parked.find(record.id()).orElseThrow()))
                .build();
    }

    @POST
    @Path("{id}/discard")
    @Operation(summary = "Give up on a parked record", description = "It stays in the table, marked DISCARDED, with "
            + "who and when. 409 if it is not waiting.")
    public Parked discard(@PathParam("id") String id) throws SQLException {
        Parked record = waiting(uuid(id));
        if (!parked.resolve(record.id(), "DISCARDED", identity.getPrincipal().getName())) {
            throw ProblemException.conflict("parked record " + id + " is not waiting");
        }
        return shown("POST /api/v1/admin/parked/{id}/discard", parked.find(record.id()).orElseThrow());
    }

    /** Audits what is about to be shown (it can hold patient data); fails the read if it cannot be audited. */
    private List<Parked> shown(String channel, List<Parked> records) {
        if (!records.isEmpty()) {
            reads.fire(new ParkedRecordsRead(channel, records.stream()
                    .map(r -> new ParkedRecordsRead.Shown(r.id(), r.value())).toList()));
        }
        return records;
    }

    private Parked shown(String channel, Parked record) {
        shown(channel, List.of(record));
        return record;
    }

    private Parked waiting(UUID id) throws SQLException {
        Parked record = parked.find(id).orElseThrow(() -> ProblemException.notFound("no parked record " + id));
        if (!"WAITING".equals(record.status())) {
            throw ProblemException.conflict("parked record " + id + " is " + record.status().toLowerCase());
        }
        return record;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no parked record " + id);
        }
    }

    private static Response unavailable(String why) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "30")
                .entity(Problem.of(503, "Service unavailable", "not replayed now: " + why)).build();
    }

}
