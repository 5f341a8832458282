package org.pagerless.platform;

import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

/** Turns failures into problem+json answers: which field, why; never a stack trace. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequest e) {
        String detail = e.violations().stream().map(v -> v.field() + ": " + v.reason())
                .collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Invalid request", 400, detail, e.violations()));
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        if (e instanceof TooManyRequests limited) {
            return Response.fromResponse(respond(e.problem()))
                    .header("Retry-After", Long.toString(limited.retryAfterSeconds())).build();
        }
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response brokerDown(Kafka.BrokerUnavailable e) {
        return Response.fromResponse(respond(Problem.of(503, "Service unavailable",
                "the request was not accepted because the message broker is unreachable; it is safe to retry")))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response badJson(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String reason = e.getOriginalMessage() == null ? "cannot be read" : e.getOriginalMessage().split("\n")[0];
        if (reason.startsWith("Cannot deserialize value of type")) {
            reason = "has the wrong type";
        }
        return invalid(new InvalidRequest(field.isEmpty() ? "body" : field, reason));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return invalid(new InvalidRequest("body", "is not valid JSON"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "your role does not allow this"));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return respond(Problem.of(404, "Not found", "no such resource"));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonMappingException mapping) {
                return badJson(mapping);
            }
            if (cause instanceof JsonProcessingException) {
                return malformedJson((JsonProcessingException) cause);
            }
        }
        if (e instanceof jakarta.ws.rs.WebApplicationException wae) {
            Response r = wae.getResponse();
            return respond(Problem.of(r.getStatus(), r.getStatusInfo().getReasonPhrase(), wae.getMessage()));
        }
        if (Failures.isTransient(e)) {
            return unavailable(e);
        }
        return failed(e);
    }

    /**
     * A database failure: 503 (retry) when the database is unavailable, else 500. Logged redacted: PostgreSQL's
     * messages quote the failing row ("Failing row contains (…)", "Detail: Key (…)=(…)"), which may be a task with
     * its patient.
     */
    @ServerExceptionMapper
    public Response database(java.sql.SQLException e) {
        if (Failures.isTransient(e)) {
            return unavailable(e);
        }
        return failed(e);
    }

    /** The database (or broker) is away for now, also when wrapped in a store's unchecked exception: 503, retry. */
    private static Response unavailable(Exception e) {
        LOG.warnf("database or broker unavailable: %s", Failures.describe(e));
        return Response.fromResponse(respond(Problem.of(503, "Service unavailable",
                "the database or broker is unavailable; it is safe to retry"))).header("Retry-After", "5").build();
    }

    private static Response failed(Exception e) {
        // Redacted (Failures.describe): messages may quote request content or a row, which may hold patient data.
        LOG.errorf("unexpected failure: %s", Failures.describe(e));
        return respond(Problem.of(500, "Internal error", "something went wrong; the request may not have been taken"));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
