package org.pagerless.interop.wctp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /wctp}: WCTP 1.3 over HTTP. Always answers 200 with a WCTP document: success or failure is in
 * {@code wctp-Success} / {@code wctp-Failure} and its code, as WCTP clients expect. Credentials travel inside the
 * document (senderID and securityCode, or the operation's wctpToken), so the endpoint itself is open.
 */
@Path("/wctp")
@Tag(name = "WCTP 1.3", description = "Paging gateways, nurse call and alarm systems (text/xml)")
public class WctpResource {
    /** Larger than any real page (a WCTP message is at most a few hundred characters). */
    static final int MAX_DOCUMENT = 64 * 1024;

    @Inject
    WctpPager pager;

    @POST
    @PermitAll
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_XML)
    @Operation(summary = "A WCTP 1.3 operation", description = "wctp-SubmitRequest (wctp-Alphanumeric or "
            + "wctp-MCR payload) or wctp-ClientQuery; answers wctp-Confirmation or wctp-ClientQueryResponse.")
    public String operation(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_DOCUMENT + 1);
        if (bytes.length > MAX_DOCUMENT) {
            return WctpXml.confirmation(301, "the document is larger than " + MAX_DOCUMENT + " bytes", false);
        }
        try {
            return pager.handle(WctpXml.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (WctpXml.Malformed e) {
            return WctpXml.confirmation(301, "cannot parse the XML: " + e.getMessage(), false);
        }
    }
}
