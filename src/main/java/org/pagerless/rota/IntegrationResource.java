package org.pagerless.rota;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem;
import org.pagerless.platform.ProblemException;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.IntegrationSystems;
import org.pagerless.rota.model.Staff;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Hospital systems' credentials and scopes, for admins: every member of staff with the integration role, whether it
 * has a secret of its own (for WCTP, SNPP, HL7 MLLP and HTTP Basic), and the wards whose tasks it may see besides
 * those it raised. A secret is made here and shown once; rotating makes a new one and the old stops at once.
 */
@Path("/api/v1/admin/integrations")
@Tag(name = "Operations")
@RolesAllowed(AppRoles.ADMIN)
@Blocking
public class IntegrationResource {
    @Inject
    IntegrationSystems systems;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;

    /**
     * A hospital system as an admin sees it. {@code secret}: {@code set}, {@code revoked} or {@code none} (it signs in
     * by OIDC client credentials only). {@code wards}: whose tasks it may see besides those it raised.
     */
    public record IntegrationSystem(String id, String name, String secret, Instant secretSetAt, Instant revokedAt,
                                    List<String> wards) {
    }

    /** A new secret, shown this once: give it to the system (WCTP securityCode, SNPP LOGIn, MSH-8, Basic). */
    public record IssuedSecret(String id, String secret, Instant secretSetAt) {
    }

    /** The wards (ids or names) whose tasks the system may see besides those it raised. */
    public record Scope(List<String> wards) {
    }

    @GET
    @Operation(summary = "Hospital systems", description = "Every member of staff with the integration role: "
            + "whether it has a secret of its own and its scope (wards). Never the secrets.")
    public List<IntegrationSystem> list() {
        Map<String, IntegrationSystems.Account> accounts = systems.all().stream()
                .collect(Collectors.toMap(IntegrationSystems.Account::id, Function.identity()));
        List<IntegrationSystem> out = new ArrayList<>();
        for (Staff s : referenceData.hospital().allStaff()) {
            if (AppRoles.INTEGRATION.equals(s.appRole())) {
                out.add(view(s, accounts.get(s.id())));
            }
        }
        out.sort(java.util.Comparator.comparing(IntegrationSystem::id));
        return out;
    }

    @POST
    @Path("{id}/secret")
    @Operation(summary = "Issue or rotate a hospital system's secret", description = "A new random secret, in the "
            + "answer only (Pagerless keeps its PBKDF2 hash); the previous one stops working at once. 404 if the id "
            + "is not a member of staff with the integration role (add it at POST /api/v1/rota/staff first).")
    public Response issue(@PathParam("id") String id) {
        Staff system = system(id);
        Instant now = clock.instant();
        String secret = systems.issueSecret(system.id(), now);
        return Response.ok(new IssuedSecret(system.id(), secret, now)).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("{id}/secret")
    @Operation(summary = "Revoke a hospital system's secret", description = "It signs in with it no more (WCTP, "
            + "SNPP, HL7 MLLP, Basic) until a new one is issued; OIDC client credentials are the provider's to revoke.")
    public IntegrationSystem revoke(@PathParam("id") String id) {
        Staff system = system(id);
        systems.revoke(system.id(), clock.instant());
        return view(system, systems.account(system.id()).orElse(null));
    }

    @PUT
    @Path("{id}/scope")
    @Operation(summary = "Set a hospital system's scope", description = "wards: the wards (ids or names) whose "
            + "tasks it may see (REST and FHIR) besides those it raised; an empty list: only its own. 400 naming an "
            + "unknown ward.")
    public IntegrationSystem scope(@PathParam("id") String id, Scope scope) {
        Staff system = system(id);
        if (scope == null || scope.wards() == null) {
            throw new InvalidRequest("wards", "is required: a list of wards, empty for none");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        List<String> wardIds = new ArrayList<>();
        for (int i = 0; i < scope.wards().size(); i++) {
            String ward = scope.wards().get(i);
            var found = ward == null ? java.util.Optional.<org.pagerless.rota.model.Ward>empty()
                    : referenceData.hospital().ward(ward.trim());
            if (found.isEmpty()) {
                violations.add(new Problem.Violation("wards[" + i + "]", "unknown ward '" + ward + "'"));
            } else if (!wardIds.contains(found.get().id())) {
                wardIds.add(found.get().id());
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        systems.setWards(system.id(), wardIds, clock.instant());
        return view(system, systems.account(system.id()).orElse(null));
    }

    private Staff system(String id) {
        return referenceData.hospital().staff(id).filter(s -> AppRoles.INTEGRATION.equals(s.appRole()))
                .orElseThrow(() -> ProblemException.notFound("no hospital system '" + id
                        + "': a member of staff with the integration role"));
    }

    private static IntegrationSystem view(Staff s, IntegrationSystems.Account account) {
        if (account == null) {
            return new IntegrationSystem(s.id(), s.displayName(), "none", null, null, List.of());
        }
        String secret = account.secretHash() != null ? "set" : account.revokedAt() != null ? "revoked" : "none";
        return new IntegrationSystem(s.id(), s.displayName(), secret, account.secretSetAt(), account.revokedAt(),
                account.wards());
    }
}
