package org.pagerless.delivery;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.pagerless.platform.Problem;

import com.twilio.security.RequestValidator;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * The one check every Twilio webhook passes (methods marked {@link TwilioSigned}): Twilio signs each request with the
 * auth token over the URL it called (our public URL, as it knows it) and the form parameters sorted by name, and we
 * verify that with the SDK's {@link RequestValidator}. A missing or wrong signature, or Twilio not configured, is
 * answered 403 problem+json before the webhook runs, so nothing changes.
 * <p>
 * {@link WithFormRead} has the form parsed before this filter runs; the body stays readable for the webhook's own
 * {@code MultivaluedMap} parameter (RESTEasy Reactive keeps a copy of the bytes when a method also takes the body).
 */
public class TwilioSignature {
    private static final Logger LOG = Logger.getLogger(TwilioSignature.class);
    static final String HEADER = "X-Twilio-Signature";

    @Inject
    TwilioSms twilio;

    @TwilioSigned
    @WithFormRead
    @ServerRequestFilter
    public Response refuseUnsigned(ResteasyReactiveContainerRequestContext request) {
        URI called = request.getUriInfo().getRequestUri();
        String path = called.getRawPath() + (called.getRawQuery() == null ? "" : "?" + called.getRawQuery());
        FormData form = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormData();
        if (valid(twilio, path, parameters(form), request.getHeaderString(HEADER))) {
            return null;
        }
        LOG.warn("Twilio webhook refused: missing or invalid " + HEADER);
        return Response.status(Response.Status.FORBIDDEN).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(403, "Forbidden", "missing or invalid " + HEADER)).build();
    }

    /** Whether {@code signature} is Twilio's over our public URL + {@code path} and {@code params}. */
    static boolean valid(TwilioSms twilio, String path, Map<String, String> params, String signature) {
        Optional<String> token = twilio.authToken();
        Optional<String> base = twilio.publicUrl();
        if (signature == null || token.isEmpty() || base.isEmpty()) {
            return false;
        }
        return new RequestValidator(token.get()).validate(base.get() + path, params, signature);
    }

    /** Each form parameter's first value (decoded, empty kept: Twilio signs {@code FinishedOnKey=} too). */
    private static Map<String, String> parameters(FormData form) {
        Map<String, String> params = new HashMap<>();
        if (form != null) {
            for (String name : form) {
                FormValue first = form.getFirst(name);
                params.put(name, first == null || first.getValue() == null ? "" : first.getValue());
            }
        }
        return params;
    }
}
