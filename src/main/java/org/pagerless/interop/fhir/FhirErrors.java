package org.pagerless.interop.fhir;

import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.pagerless.platform.Problem;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

/**
 * Every error under {@code /fhir} as an {@code OperationOutcome}. Errors are raised as everywhere else
 * ({@link org.pagerless.platform.InvalidRequest}, {@link org.pagerless.platform.ProblemException}, the broker
 * being down...) and mapped to problem+json once, by the platform; this filter then says the same in FHIR: one issue
 * per invalid field, its {@code expression} the FHIR element the field came from.
 */
public class FhirErrors {
    /** Intake's field names as the elements of a FHIR {@code Task} they are read from. */
    static final Map<String, String> TASK_FIELDS = Map.ofEntries(
            Map.entry("body", "Task"),
            Map.entry("to", "Task.performerType"),
            Map.entry("to.role", "Task.performerType"),
            Map.entry("to.bleep", "Task.performerType"),
            Map.entry("to.person", "Task.restriction.recipient"),
            Map.entry("to.ward", "Task.location"),
            Map.entry("patient", "Task.for"),
            Map.entry("patient.nhsNumber", "Task.for.identifier.value"),
            Map.entry("patient.name", "Task.for.display"),
            Map.entry("location", "Task.location"),
            Map.entry("location.ward", "Task.location"),
            Map.entry("location.bed", "Task.input.where(type.text='bed').value"),
            Map.entry("type", "Task.code"),
            Map.entry("detail", "Task.description"),
            Map.entry("priority", "Task.priority"),
            Map.entry("news2", "Task.input.where(type.text='NEWS2').value"),
            Map.entry("reason", "Task.statusReason"),
            Map.entry("note", "Task.note"));

    /** Intake's bleep field names as the elements of a FHIR {@code CommunicationRequest}. */
    static final Map<String, String> COMMUNICATION_FIELDS = Map.of(
            "body", "CommunicationRequest",
            "to", "CommunicationRequest.recipient",
            "to.role", "CommunicationRequest.recipient",
            "to.person", "CommunicationRequest.recipient",
            "to.bleep", "CommunicationRequest.recipient",
            "callback", "CommunicationRequest.extension('" + FhirCommunication.CALLBACK_EXTENSION + "')",
            "message", "CommunicationRequest.payload.content",
            "priority", "CommunicationRequest.priority");

    @Inject
    Fhir fhir;

    @ServerResponseFilter
    public void asOperationOutcome(ContainerRequestContext request, ContainerResponseContext response) {
        // Every answer of every endpoint passes here: the entity's type first, so a success reads no path.
        if (!(response.getEntity() instanceof Problem problem)) {
            return;
        }
        String path = request.getUriInfo().getPath();
        path = path.startsWith("/") ? path : "/" + path;
        if (!(path.equals("/fhir") || path.startsWith("/fhir/"))) {
            return;
        }
        Map<String, String> fields = path.startsWith("/fhir/CommunicationRequest") ? COMMUNICATION_FIELDS : TASK_FIELDS;
        OperationOutcome outcome = outcome(problem, fields);
        String format = request.getUriInfo().getQueryParameters().getFirst("_format");
        String type = fhir.mediaType(format, request.getAcceptableMediaTypes());
        response.setEntity(fhir.encode(outcome, type), null, MediaType.valueOf(type));
    }

    static OperationOutcome outcome(Problem problem, Map<String, String> fields) {
        OperationOutcome outcome = new OperationOutcome();
        List<Problem.Violation> violations = problem.violations() == null ? List.of() : problem.violations();
        if (violations.isEmpty()) {
            outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type(problem.status(), problem.detail()))
                    .setDiagnostics(problem.detail());
        }
        for (Problem.Violation v : violations) {
            String expression = fields.getOrDefault(v.field(), v.field());
            outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type(problem.status(), v.reason()))
                    .setDiagnostics(expression + ": " + v.reason()).addExpression(expression);
        }
        return outcome;
    }

    private static IssueType type(int status, String reason) {
        return switch (status) {
            case 400 -> reason != null && reason.startsWith("is required") ? IssueType.REQUIRED
                    : reason != null && reason.startsWith("is not a valid FHIR") ? IssueType.STRUCTURE
                    : IssueType.INVALID;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404 -> IssueType.NOTFOUND;
            case 409 -> IssueType.CONFLICT;
            case 413 -> IssueType.TOOLONG;
            case 429 -> IssueType.THROTTLED;
            case 503 -> IssueType.TRANSIENT;
            default -> IssueType.EXCEPTION;
        };
    }
}
