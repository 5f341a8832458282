package org.pagerless.delivery;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * The SDK's HTTP client pointed at another base URL (a regional proxy, or the fake Twilio in tests):
 * {@code https://<anything>.twilio.com/<path>} becomes {@code <base>/<path>}, with the same method,
 * parameters, headers and credentials. The SDK has no base-URL setting of its own.
 */
public class TwilioBaseUrlClient extends NetworkHttpClient {
    private final String baseUrl;

    public TwilioBaseUrlClient(String baseUrl) {
        super(org.apache.hc.client5.http.config.RequestConfig.custom()
                .setConnectionRequestTimeout(org.apache.hc.core5.util.Timeout.ofSeconds(5))
                .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofSeconds(10)).build());
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public Response makeRequest(Request request) {
        return super.makeRequest(rewrite(request));
    }

    Request rewrite(Request request) {
        URI original = URI.create(request.getUrl());
        if (original.getHost() == null || !original.getHost().endsWith(".twilio.com")) {
            return request;
        }
        // A next-page URL carries its query (filters, Page, PageToken) in the URL itself: keep it.
        Request rewritten = new Request(request.getMethod(), baseUrl + original.getRawPath()
                + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery()));
        copy(request.getQueryParams(), rewritten::addQueryParam);
        copy(request.getPostParams(), rewritten::addPostParam);
        copy(request.getHeaderParams(), rewritten::addHeaderParam);
        if (request.getContentType() != null) {
            rewritten.setContentType(request.getContentType());
        }
        if (request.getBody() != null) {
            rewritten.setBody(request.getBody());
        }
        if (request.getAuthStrategy() != null) {
            rewritten.setAuth(request.getAuthStrategy());
        } else if (request.getUsername() != null) {
            rewritten.setAuth(request.getUsername(), request.getPassword());
        }
        return rewritten;
    }

    private static void copy(Map<String, List<String>> params, java.util.function.BiConsumer<String, String> into) {
        params.forEach((name, values) -> values.forEach(v -> into.accept(name, v)));
    }
}
