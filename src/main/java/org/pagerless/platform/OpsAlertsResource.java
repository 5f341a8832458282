package org.pagerless.platform;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * What is wrong with Pagerless itself, for the switchboard's "Needs a human" queue: records parked because they could
 * not be handled (someone may not have been paged), and consumers that have stopped moving (ADR 0013). Switchboard
 * tells the on-call administrator; the administrator acts at {@code /api/v1/admin/parked}.
 */
@Path("/api/v1/ops/alerts")
@Tag(name = "Operations")
public class OpsAlertsResource {

    /** One problem: which consumer, and what to do about it, in words for switchboard. */
    public record OpsAlert(String consumer, String kind, String explanation) {
    }

    @Inject
    Consumers consumers;
    @Inject
    ParkedRecords parked;

    @GET
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Problems with Pagerless itself", description = "Parked records waiting (kind parked) and "
            + "stalled consumers (kind stalled). Empty when all is well.")
    public List<OpsAlert> alerts() {
        List<OpsAlert> alerts = new ArrayList<>();
        for (TrackedConsumer loop : consumers.all()) {
            String stalled = consumers.stalledReason(loop);
            if (stalled != null) {
                alerts.add(new OpsAlert(loop.name(), "stalled", "Pagerless is behind (" + loop.name() + ": " + stalled
                        + "). Pages may be late: tell the on-call administrator."));
            }
        }
        parked.waiting().forEach((consumer, n) -> alerts.add(new OpsAlert(consumer, "parked", n + " message"
                + (n == 1 ? "" : "s") + " could not be handled (" + consumer + ") and " + (n == 1 ? "is" : "are")
                + " set aside: someone may not have been paged. Tell the on-call administrator.")));
        return alerts;
    }
}
