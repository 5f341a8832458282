package org.pagerless.interop.fhir;

import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * FHIR R4 {@code Subscription} (rest-hook) at {@code /fhir/Subscription}: a hospital system asks to be told when a
 * task matching its criteria changes (ADR 0036). Create, read and delete; only the system that created one (or an
 * admin) may read or delete it. The signing secret is given once, on create, and never shown again.
 */
@Path("/fhir/Subscription")
@Tag(name = "FHIR R4", description = "Tasks and bleeps as FHIR R4 resources (application/fhir+json or +xml)")
public class FhirSubscriptionResource {
    /** The extension carrying the secret that signs every notification (R4 Subscription has no element for it). */
    public static final String SECRET_EXTENSION = "https://pagerless.org/fhir/StructureDefinition/subscription-secret";
    static final int MIN_SECRET = 16;
    static final int MAX_HEADERS = 5;
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}:[ \\t]*[\\x20-\\x7E]{1,1024}");
    /** Headers Pagerless sets itself, or that would change how the request is framed or routed. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "transfer-encoding",
            "connection", "expect", "upgrade", FhirSubscriptionSender.SIGNATURE_HEADER.toLowerCase(),
            FhirSubscriptionSender.NOTIFICATION_HEADER.toLowerCase(), FhirSubscriptionSender.EVENT_HEADER.toLowerCase());

    @Inject
    Fhir fhir;
    @Inject
    FhirSubscriptions subscriptions;
    @Inject
    FhirTaskSearch search;
    @Inject
    SecurityIdentity identity;
    @Inject
    InstantSource clock;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    /** Where notifications may go: a whole-URL pattern (production: https only; a trust narrows it to its hosts). */
    @ConfigProperty(name = "pagerless.interop.fhir.subscription.endpoint-pattern", defaultValue = "https://.+")
    Pattern endpointPattern;

    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({AppRoles.INTEGRATION, AppRoles.ADMIN})
    @Operation(summary = "Subscribe to task changes (rest-hook)", description = "criteria Task?status=|owner=|"
            + "requester=|patient:identifier=|priority=|ward=; channel.type rest-hook; channel.endpoint matching "
            + "the configured pattern; channel.payload absent (empty POST) or application/fhir+json|xml (the Task is "
            + "PUT to <endpoint>/Task/<id>); the secret extension signs each notification. 201 with Location.")
    public Response create(String body, @QueryParam("_format") String format) {
        Subscription in = fhir.parse(Subscription.class, body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        List<org.pagerless.platform.Problem.Violation> problems = new ArrayList<>();
        if (in.getStatus() != null && in.getStatus() != SubscriptionStatus.REQUESTED
                && in.getStatus() != SubscriptionStatus.ACTIVE) {
            problems.add(violation("Subscription.status", "must be requested (or active)"));
        }
        if (!in.hasReason() || in.getReason().isBlank()) {
            problems.add(violation("Subscription.reason", "is required: say what the notifications are for"));
        }
        if (in.hasEnd()) {
            problems.add(violation("Subscription.end", "is not supported: delete the subscription to end it"));
        }
        String criteria = in.getCriteria();
        try {
            search.subscriptionCriteria(criteria);
        } catch (InvalidRequest e) {
            problems.addAll(e.violations());
        }
        Subscription.SubscriptionChannelComponent channel = in.getChannel();
        if (channel.getType() != SubscriptionChannelType.RESTHOOK) {
            problems.add(violation("Subscription.channel.type", "must be rest-hook"));
        }
        String endpoint = channel.getEndpoint();
        if (endpoint == null || endpoint.isBlank()) {
            problems.add(violation("Subscription.channel.endpoint", "is required"));
        } else if (!endpointPattern.matcher(endpoint).matches() || !absolute(endpoint)) {
            problems.add(violation("Subscription.channel.endpoint", "is not an address notifications may be sent to "
                    + "here (pagerless.interop.fhir.subscription.endpoint-pattern)"));
        }
        String payload = channel.hasPayload() ? channel.getPayload() : null;
        if (payload != null && !payload.equals(Fhir.JSON) && !payload.equals(Fhir.XML)) {
            problems.add(violation("Subscription.channel.payload", "must be " + Fhir.JSON + " or " + Fhir.XML
                    + ", or absent for a notification without content"));
        }
        List<String> extra = channel.getHeader().stream().map(StringType::getValue).toList();
        if (extra.size() > MAX_HEADERS) {
            problems.add(violation("Subscription.channel.header", "at most " + MAX_HEADERS + " headers"));
        }
        for (String h : extra) {
            if (h == null || !HEADER.matcher(h).matches()) {
                problems.add(violation("Subscription.channel.header", "each must be 'Name: value' on one line"));
            } else if (RESERVED.contains(h.substring(0, h.indexOf(':')).trim().toLowerCase())) {
                problems.add(violation("Subscription.channel.header", "'" + h.substring(0, h.indexOf(':'))
                        + "' is set by Pagerless"));
            }
        }
        Extension secret = in.getExtensionByUrl(SECRET_EXTENSION);
        String secretText = secret == null || !(secret.getValue() instanceof StringType s) ? null : s.getValue();
        if (secretText == null || secretText.length() < MIN_SECRET || secretText.length() > 256) {
            problems.add(violation("Subscription.extension('" + SECRET_EXTENSION + "')", "is required: a secret of "
                    + MIN_SECRET + " to 256 characters (valueString) that signs every notification"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequest(problems);
        }
        FhirSubscriptions.Stored stored = new FhirSubscriptions.Stored(UUID.randomUUID(), caller().staffId(),
                criteria, endpoint, payload, extra, secretText, in.getReason(), "active", null, clock.instant());
        subscriptions.create(stored, clock.instant());
        String location = base() + "Subscription/" + stored.id();
        return Response.created(URI.create(location)).entity(fhir.encode(toFhir(stored), mediaType(format)))
                .type(mediaType(format)).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({AppRoles.INTEGRATION, AppRoles.ADMIN})
    @Operation(summary = "Read a subscription", description = "Its status (active, or error with the last "
            + "delivery error); header values and the secret are never shown.")
    public Response read(@PathParam("id") String id, @QueryParam("_format") String format) {
        FhirSubscriptions.Stored s = mine(id);
        return Response.ok(fhir.encode(toFhir(s), mediaType(format))).type(mediaType(format)).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({AppRoles.INTEGRATION, AppRoles.ADMIN})
    @Operation(summary = "Delete a subscription", description = "204; notifications not yet sent are dropped.")
    public Response delete(@PathParam("id") String id) {
        FhirSubscriptions.Stored s = mine(id);
        subscriptions.delete(s.id());
        return Response.noContent().build();
    }

    /** The subscription, if the caller created it (or is an admin); otherwise 404, as if it did not exist. */
    private FhirSubscriptions.Stored mine(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no Subscription with id " + id);
        }
        Caller caller = caller();
        return subscriptions.find(uuid)
                .filter(s -> s.createdBy().equals(caller.staffId()) || AppRoles.ADMIN.equals(caller.appRole()))
                .orElseThrow(() -> ProblemException.notFound("no Subscription with id " + id));
    }

    static Subscription toFhir(FhirSubscriptions.Stored s) {
        Subscription out = new Subscription();
        out.setId(s.id().toString());
        out.getMeta().setLastUpdated(Date.from(s.createdAt()));
        out.setStatus("error".equals(s.status()) ? SubscriptionStatus.ERROR : SubscriptionStatus.ACTIVE);
        out.setReason(s.reason());
        out.setCriteria(s.criteria());
        if (s.error() != null) {
            out.setError(s.error());
        }
        out.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(s.endpoint());
        if (s.payload() != null) {
            out.getChannel().setPayload(s.payload());
        }
        // Header values are credentials for the receiver: shown by name only.
        s.headers().forEach(h -> out.getChannel().addHeader(h.substring(0, h.indexOf(':')).trim() + ": ***"));
        return out;
    }

    private static boolean absolute(String endpoint) {
        try {
            URI u = URI.create(endpoint);
            return u.isAbsolute() && u.getHost() != null && ("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
                    && u.getRawUserInfo() == null && u.getRawFragment() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static org.pagerless.platform.Problem.Violation violation(String field, String reason) {
        return new org.pagerless.platform.Problem.Violation(field, reason);
    }

    private String mediaType(String format) {
        return fhir.mediaType(format, headers.getAcceptableMediaTypes());
    }

    private String base() {
        return uri.getBaseUri().resolve("fhir/").toString();
    }

    private Caller caller() {
        return Caller.of(identity);
    }
}
