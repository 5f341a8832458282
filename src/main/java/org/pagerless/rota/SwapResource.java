package org.pagerless.rota;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Swap;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Swaps between staff ({@link SwapStore}): the requester asks, the counterpart accepts or declines, and only an accepted
 * swap changes the rota (the model decides: {@link Swap}).
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class SwapResource {

    @Inject
    SwapStore store;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;
    @Inject
    RotaWrites writes;

    public record SwapRequest(String roleId, String counterpartId, String from, String to) {
    }

    public record SwapDocument(long id, String roleId, String requesterId, String counterpartId, String from,
            String to, String status, String requestedAt, String decidedAt) {
    }

    @GET
    @Path("swaps")
    @Operation(summary = "Swaps that have not yet ended, whatever their answer")
    public Uni<List<SwapDocument>> swaps() {
        return store.current(clock.instant());
    }

    @POST
    @Path("swaps")
    @Operation(summary = "Ask someone to take your place as holder of a role for a period",
            description = "The caller is the requester. Nothing changes until the counterpart accepts.")
    public Uni<Response> requestSwap(SwapRequest body) {
        RotaInput.body(body);
        List<Violation> violations = new ArrayList<>();
        Hospital hospital = referenceData.hospital();
        String roleId = RotaInput.role(hospital, body.roleId(), violations);
        RotaInput.staff(hospital, "counterpartId", body.counterpartId(), true, violations);
        if (caller().equals(body.counterpartId())) {
            violations.add(new Violation("counterpartId", "must be someone other than the requester"));
        }
        Instant from = RotaInput.instant("from", body.from(), violations);
        Instant to = RotaInput.instant("to", body.to(), violations);
        RotaInput.period(from, to, violations);
        if (hospital.staff(caller()).isEmpty()) {
            throw ProblemException.forbidden("only members of staff on the rota can ask for a swap");
        }
        RotaInput.reject(violations);
        return store.add(roleId, caller(), body.counterpartId(), from, to).chain(id -> store.find(id))
                .map(swap -> Response.status(Response.Status.CREATED).entity(swap).build());
    }

    @POST
    @Path("swaps/{id}/accept")
    @Operation(summary = "Accept a swap asked of you: you hold the role in the requester's place for the period")
    public Uni<SwapDocument> acceptSwap(@PathParam("id") long id) {
        return answer(id, Swap.Status.ACCEPTED);
    }

    @POST
    @Path("swaps/{id}/decline")
    @Operation(summary = "Decline a swap asked of you; it is recorded and the rota is unchanged")
    public Uni<SwapDocument> declineSwap(@PathParam("id") long id) {
        return answer(id, Swap.Status.DECLINED);
    }

    @DELETE
    @Path("swaps/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a swap")
    public Uni<Response> deleteSwap(@PathParam("id") long id) {
        return writes.announced(store.delete(id), RotaEvents.REFERENCE_DATA, "rota_swap.deleted", caller())
                .map(done -> Response.noContent().build());
    }

    private Uni<SwapDocument> answer(long id, Swap.Status outcome) {
        String by = caller();
        return store.find(id).chain(current -> answer(current, outcome, by));
    }

    private Uni<SwapDocument> answer(SwapDocument current, Swap.Status outcome, String caller) {
        long id = current.id();
        Swap swap = new Swap(current.roleId(), current.requesterId(), current.counterpartId(),
                Instant.parse(current.from()), Instant.parse(current.to()),
                Swap.Status.valueOf(current.status().toUpperCase(Locale.ROOT)));
        if (!swap.counterpartId().equals(caller)) {
            throw ProblemException.forbidden("only " + swap.counterpartId() + " can answer this swap");
        }
        if (swap.status() != Swap.Status.REQUESTED) {
            throw ProblemException.conflict("the swap is already " + current.status());
        }
        Swap decided = outcome == Swap.Status.ACCEPTED ? swap.acceptedBy(caller) : swap.declinedBy(caller);
        return writes.announced(store.answer(id, decided.status().name().toLowerCase(Locale.ROOT), clock.instant()),
                current.roleId(), "swap." + current.status(), caller).chain(() -> store.find(id));
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
