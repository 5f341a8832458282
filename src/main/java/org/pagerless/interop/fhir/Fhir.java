package org.pagerless.interop.fhir;

import java.util.List;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.pagerless.platform.InvalidRequest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;

/**
 * HAPI FHIR's R4 context, made once per application (it is slow to build and thread-safe), and the two
 * wire formats: JSON ({@code application/fhir+json}, the default) and XML ({@code application/fhir+xml}). The
 * context is made on first use, not at start: the bean's client proxy and the start-up observers that inject this
 * class would otherwise build it before the pod is ready (issue 13, start-up time).
 */
@ApplicationScoped
public class Fhir {
    public static final String JSON = "application/fhir+json";
    public static final String XML = "application/fhir+xml";

    /** Holds the context: the JVM builds it when {@link #context()} is first called, once, thread-safely. */
    private static final class R4 {
        static final FhirContext CONTEXT = FhirContext.forR4Cached();
    }

    public FhirContext context() {
        return R4.CONTEXT;
    }

    /**
     * Reads a resource of the expected type from a request body. Unknown elements and bad values are refused, not
     * skipped: a field a client thinks it set must not be silently dropped. Throws {@link InvalidRequest} naming the
     * body and why; the message quotes only the element, never its value.
     */
    public <T extends IBaseResource> T parse(Class<T> type, String body, String contentType) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequest(type.getSimpleName(), "a " + type.getSimpleName() + " resource is required");
        }
        IParser parser = isXml(contentType) ? context().newXmlParser() : context().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        try {
            return parser.parseResource(type, body);
        } catch (DataFormatException e) {
            throw new InvalidRequest(type.getSimpleName(), "is not a valid FHIR R4 " + type.getSimpleName()
                    + " in " + (isXml(contentType) ? "XML" : "JSON") + ": " + reason(e));
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new InvalidRequest(type.getSimpleName(), "is not a " + type.getSimpleName() + " resource");
        }
    }

    /** The resource in {@code mediaType} ({@link #JSON} or {@link #XML}). */
    public String encode(IBaseResource resource, String mediaType) {
        IParser parser = XML.equals(mediaType) ? context().newXmlParser() : context().newJsonParser();
        return parser.setPrettyPrint(false).encodeResourceToString(resource);
    }

    /** The format the client asked for: {@code _format} first, then Accept; JSON by default. */
    public String mediaType(String format, List<MediaType> accepted) {
        if (format != null) {
            return format.contains("xml") ? XML : JSON;
        }
        for (MediaType type : accepted) {
            if (type.getSubtype().contains("json")) {
                return JSON;
            }
            if (type.getSubtype().contains("xml")) {
                return XML;
            }
        }
        return JSON;
    }

    private static boolean isXml(String contentType) {
        return contentType != null && contentType.toLowerCase().contains("xml");
    }

    private static String reason(DataFormatException e) {
        String message = e.getMessage() == null ? "cannot be read" : e.getMessage();
        // HAPI prefixes its own message codes, e.g. "HAPI-1825: Unknown element 'foo' found during parse".
        return message.replaceFirst("^HAPI-\\d+: ", "");
    }
}
