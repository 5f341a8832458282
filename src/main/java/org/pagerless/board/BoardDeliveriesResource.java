package org.pagerless.board;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.delivery.DeliveryState;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.InvalidRequest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * The delivery state of the tasks on a board, in one call: the board polls it every few seconds (delivery
 * status changes are not task events, so they do not come over the live feed; ADR 0007).
 */
@Path("/api/v1/board/deliveries")
@Tag(name = "Board")
public class BoardDeliveriesResource {
    static final int MAX_TASKS = 500;

    @Inject
    DeliveryState state;

    @GET
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
    @Operation(summary = "Delivery state of the board's tasks", description = "By task id: per person paged, "
            + "whether they have seen it and each channel's latest status and time. Tasks never paged are absent.")
    public Map<UUID, List<DeliveryState.PersonState>> deliveries(
            @Parameter(description = "Task ids (repeat the parameter), at most 500") @QueryParam("task")
            List<String> task) throws SQLException {
        if (task == null || task.isEmpty()) {
            return Map.of();
        }
        if (task.size() > MAX_TASKS) {
            throw new InvalidRequest("task", "at most " + MAX_TASKS + " tasks at once");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (String id : task) {
            try {
                ids.add(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest("task", "'" + id + "' is not a task id");
            }
        }
        return state.of(ids);
    }
}
