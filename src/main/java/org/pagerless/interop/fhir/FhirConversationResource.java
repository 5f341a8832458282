package org.pagerless.interop.fhir;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.conversation.ConversationRecord;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * A task's conversation exported into the record: {@code GET /fhir/Communication?part-of=Task/<id>} answers a
 * searchset {@code Bundle} of R4 {@code Communication} resources ({@link FhirConversations}). The EPR's integration
 * account and admins may export any task's thread; anyone else only a thread they may read. Every export of a
 * thread about a patient is audited as a read of the patient.
 */
@Path("/fhir")
@Tag(name = "FHIR R4")
public class FhirConversationResource {
    static final String PART_OF = "part-of";

    @Inject
    Fhir fhir;
    @Inject
    ConversationRecord record;
    @Inject
    PatientReadAudit audit;
    @Inject
    SecurityIdentity identity;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("Communication")
    @RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
        AppRoles.ADMIN, AppRoles.INTEGRATION})
    @Operation(summary = "A task's conversation for the record", description = "part-of=Task/<id> (required): every "
            + "message of the task's thread, oldest first, as Communication resources in a searchset Bundle; deleted "
            + "ones as entered-in-error without their text. Unknown parameters are refused (400).")
    public Response search(@QueryParam("_format") String format) {
        for (String name : uri.getQueryParameters().keySet()) {
            if (!name.equals(PART_OF) && !name.equals("_format")) {
                throw new InvalidRequest(name, "is not a search parameter of Communication here (use part-of)");
            }
        }
        List<String> partOf = uri.getQueryParameters().get(PART_OF);
        if (partOf == null || partOf.size() != 1 || partOf.get(0).isBlank()) {
            throw new InvalidRequest(PART_OF, "is required once: Task/<task id>");
        }
        String ref = partOf.get(0).strip();
        UUID taskId;
        try {
            taskId = UUID.fromString(ref.startsWith("Task/") ? ref.substring("Task/".length()) : ref);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(PART_OF, "must be Task/<task id>");
        }
        ConversationRecord.TaskThread thread = record.taskThread(taskId)
                .orElseThrow(() -> ProblemException.notFound("no Task with id " + taskId));
        Caller caller = Caller.of(identity);
        boolean anyThread = AppRoles.ADMIN.equals(caller.appRole()) || AppRoles.INTEGRATION.equals(caller.appRole());
        if (!anyThread && !record.mayRead(thread.conversation(), caller.staffId())) {
            throw ProblemException.forbidden("only the task's people, admins and the record system may export its thread");
        }
        thread.patient().ifPresent(p -> audit.readOverHttp("GET /fhir/Communication", List.of(p)));
        String fhirBase = uri.getBaseUri().resolve("fhir/").toString();
        String type = fhir.mediaType(format, headers.getAcceptableMediaTypes());
        return Response.ok(fhir.encode(FhirConversations.toBundle(thread, record::nameOf, record::change, fhirBase,
                uri.getBaseUri().toString()), type)).type(type).build();
    }
}
