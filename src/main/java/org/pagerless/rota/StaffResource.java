package org.pagerless.rota;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.platform.ProblemException;
import org.pagerless.platform.TextField;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
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
 * The hospital's staff, managed by admins. Every write is checked whole before anything is written (400 naming each
 * field), runs in one transaction ({@link StaffStore}) and, once committed, is announced on
 * {@code pagerless.rota-events.v1}. Removing
 * someone still on the rota is refused with 409 saying what names them.
 */
@Path("/api/v1/rota")
@Tag(name = "Rota")
@Authenticated
public class StaffResource {
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final List<String> APP_ROLES = Set.of(AppRoles.SWITCHBOARD, AppRoles.CLINICIAN,
            AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN, AppRoles.INTEGRATION).stream().sorted()
            .toList();

    @Inject
    StaffStore store;
    @Inject
    RotaLists lists;
    @Inject
    ReferenceData referenceData;
    @Inject
    RotaWrites writes;
    @Inject
    SecurityIdentity identity;

    public record StaffDocument(String id, String name, String grade, String appRole, String phone) {
    }

    @GET
    @Path("staff")
    @Operation(summary = "Every member of staff, by id", description = "A mobile number is shown only to its "
            + "owner, admins and the supervisors who call people (switchboard, nurse in charge, coordinator).")
    public Uni<List<StaffDocument>> staff() {
        Caller caller = Caller.of(identity);
        return lists.staff().map(all -> all.stream().map(s -> caller.isSupervisor() || caller.staffId().equals(s.id())
                ? s : new StaffDocument(s.id(), s.name(), s.grade(), s.appRole(), null)).toList());
    }

    @GET
    @Path("staff/{id}")
    @Operation(summary = "One member of staff")
    public Uni<StaffDocument> staff(@PathParam("id") String id) {
        return staff().map(all -> all.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("no member of staff '" + id + "'")));
    }

    @POST
    @Path("staff")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Add a member of staff", description = "id is also the sign-in name (lower case letters, "
            + "digits, '.', '_', '-'); appRole is what they may do in Pagerless (switchboard, clinician, "
            + "nurse-in-charge, coordinator, admin, integration); phone, if any, is their mobile in E.164 (+447700900123).")
    public Uni<Response> addStaff(StaffDocument body) {
        StaffDocument doc = check(body, null);
        return writes.announced(store.add(doc), RotaEvents.REFERENCE_DATA, "staff.created", caller())
                .map(done -> Response.status(Response.Status.CREATED).entity(doc).build());
    }

    @PUT
    @Path("staff/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Change a member of staff's name, grade, Pagerless role or phone")
    public Uni<StaffDocument> updateStaff(@PathParam("id") String id, StaffDocument body) {
        StaffDocument doc = check(body, id);
        return writes.announced(store.update(id, doc), RotaEvents.REFERENCE_DATA, "staff.updated", caller())
                .replaceWith(doc);
    }

    @DELETE
    @Path("staff/{id}")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Remove a member of staff", description = "Refused (409) while any shift, rotation, "
            + "override, leave, swap or escalation policy still names them: remove or reassign those first.")
    public Uni<Response> deleteStaff(@PathParam("id") String id) {
        return writes.announced(store.delete(id), RotaEvents.REFERENCE_DATA, "staff.deleted", caller())
                .map(done -> Response.noContent().build());
    }

    private StaffDocument check(StaffDocument body, String pathId) {
        RotaInput.body(body);
        List<Violation> v = new ArrayList<>();
        String id = RotaInput.id(body.id(), pathId, "the sign-in name, e.g. kate.morgan", v);
        String name = RotaInput.required("name", body.name(), 100, v);
        String grade = TextField.check("grade", body.grade(), false, 50, v);
        String appRole = RotaInput.trim(body.appRole());
        if (appRole == null) {
            v.add(new Violation("appRole", "is required: one of " + String.join(", ", APP_ROLES)));
        } else if (!APP_ROLES.contains(appRole)) {
            v.add(new Violation("appRole", "must be one of " + String.join(", ", APP_ROLES) + ", not '" + appRole
                    + "'"));
        }
        String phone = RotaInput.trim(body.phone());
        if (phone != null) {
            phone = phone.replace(" ", "");
            if (!PHONE.matcher(phone).matches()) {
                v.add(new Violation("phone", "is not a mobile number in E.164 form, e.g. +447700900123"));
            } else {
                String other = referenceData.staffWithPhone(phone).orElse(null);
                if (other != null && !other.equals(id)) {
                    v.add(new Violation("phone", "is already the number of " + other
                            + ": text replies could not tell them apart"));
                }
            }
        }
        RotaInput.reject(v);
        return new StaffDocument(id, name, grade, appRole, phone);
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
