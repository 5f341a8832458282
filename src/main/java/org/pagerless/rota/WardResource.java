package org.pagerless.rota;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.Caller;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Ward;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Wards, and who is on call for each now: the view a ward nurse or switchboard needs before they bleep. */
@Path("/api/v1/wards")
@Tag(name = "Rota")
@Authenticated
public class WardResource {

    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;

    public record WardDocument(String id, String name, List<String> coveringRoles) {
    }

    /**
     * One holder and how to reach them: always the app; SMS when a mobile is on file. The number itself is shown
     * to supervisors (switchboard, nurses in charge, coordinators, admins) only.
     */
    public record OnCallHolder(String id, String name, String grade, List<String> routes, String phone) {
    }

    public record OnCallRole(String roleId, String roleName, String bleep, boolean coversNow,
            List<OnCallHolder> holders) {
    }

    public record OnCall(String wardId, String wardName, Instant at, List<OnCallRole> roles) {
    }

    @GET
    @Operation(summary = "Every ward with the roles that cover it, in order of asking")
    public List<WardDocument> wards() {
        return referenceData.hospital().wards().stream().sorted(Comparator.comparing(Ward::id))
                .map(w -> new WardDocument(w.id(), w.name(), w.coveringRoleIds())).toList();
    }

    @GET
    @Path("{id}/on-call")
    @Operation(summary = "Who is on call for a ward now", description = "The roles covering the ward, in order of "
            + "asking, each with its bleep and current holders and how to reach them. coversNow marks the role a "
            + "task for the ward goes to now (the first with a holder). A role with no holders: bleeping it alerts "
            + "switchboard.")
    public OnCall onCall(@PathParam("id") String id) {
        Hospital hospital = referenceData.hospital();
        Ward ward = hospital.ward(id).orElseThrow(() -> ProblemException.notFound("no ward '" + id + "'"));
        Instant now = clock.instant();
        String covering = hospital.coveringRole(ward, now).map(Role::id).orElse(null);
        boolean supervisor = Caller.of(identity).isSupervisor();
        List<OnCallRole> roles = ward.coveringRoleIds().stream().map(roleId -> {
            Role role = hospital.role(roleId).orElse(new Role(roleId, roleId, null, null));
            List<OnCallHolder> holders = hospital.holdersOf(roleId, now).stream().map(staffId -> {
                var phone = referenceData.phoneOf(staffId);
                var person = hospital.staff(staffId);
                return new OnCallHolder(staffId, person.map(p -> p.displayName()).orElse(staffId),
                        person.map(p -> p.grade()).orElse(null),
                        phone.isPresent() ? List.of("in-app", "sms") : List.of("in-app"),
                        supervisor ? phone.orElse(null) : null);
            }).toList();
            return new OnCallRole(role.id(), role.name(), role.bleep(), role.id().equals(covering), holders);
        }).toList();
        return new OnCall(ward.id(), ward.name(), now, roles);
    }
}
