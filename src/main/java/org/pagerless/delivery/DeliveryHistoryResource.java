package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.rota.ReferenceData;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** A person's recent deliveries with every status change: what reached them, on which channel, when. */
@Path("/api/v1/me/deliveries")
@Tag(name = "Me")
@Authenticated
public class DeliveryHistoryResource {
    @Inject
    DeliveryOutbox outbox;
    @Inject
    ReferenceData referenceData;
    @Inject
    SecurityIdentity identity;

    /** One status change. */
    public record Change(String status, String reason, Instant at) {
    }

    /** One page on one channel; no clinical detail (the task reference says which task). */
    public record Entry(UUID id, UUID taskId, String ref, String channel, String priority, String status,
                        String reason, Instant dueAt, Instant updatedAt, List<Change> history) {
    }

    @GET
    @Operation(summary = "My recent deliveries", description = "Newest first: channel, task reference, status "
            + "and every status change with its time. Admins may read anyone's with ?staff=.")
    public List<Entry> recent(@Parameter(description = "Admins only: another person's staff id") @QueryParam("staff")
                              String staff,
                              @Parameter(description = "How many, 1 to 200 (default 50)") @QueryParam("limit")
                              Integer limit) throws SQLException {
        String staffId = ContactResource.whose(staff, identity, referenceData);
        int max = limit == null ? 50 : limit;
        if (max < 1 || max > 200) {
            throw new InvalidRequest("limit", "must be between 1 and 200");
        }
        List<Entry> out = new ArrayList<>();
        for (Delivery d : outbox.ofStaff(staffId, max)) {
            List<Change> history = outbox.history(d.id()).stream()
                    .map(h -> new Change(h[0], h[1], Instant.parse(h[2]))).toList();
            out.add(new Entry(d.id(), d.taskId(), d.ref(), d.channel().code(), d.priority(), d.status().code(),
                    d.reason(), d.dueAt(), d.updatedAt(), history));
        }
        return out;
    }
}
