package org.pagerless.board;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which requests carry browser evidence of coming from another site's page. */
class SameOriginTest {

    @Test
    void requestsWithoutBrowserHeadersAreSystemsAndAllowed() {
        assertThat(SameOrigin.allowed(null, null, "pagerless.example:8080")).isTrue();
    }

    @Test
    void aPageOfTheSameOriginIsAllowed() {
        assertThat(SameOrigin.allowed("https://pagerless.example", "same-origin", "pagerless.example")).isTrue();
        assertThat(SameOrigin.allowed("http://localhost:8081", null, "localhost:8081")).isTrue();
        assertThat(SameOrigin.allowed(null, "none", "localhost:8081")).isTrue();
    }

    @Test
    void anotherSiteOrAnotherPortOrAnOpaqueOriginIsRefused() {
        assertThat(SameOrigin.allowed("https://evil.example", null, "pagerless.example")).isFalse();
        assertThat(SameOrigin.allowed("http://localhost:9999", null, "localhost:8081")).isFalse();
        assertThat(SameOrigin.allowed("null", null, "localhost:8081")).isFalse();
        assertThat(SameOrigin.allowed(null, "cross-site", "localhost:8081")).isFalse();
        assertThat(SameOrigin.allowed(null, "same-site", "localhost:8081")).isFalse();
        assertThat(SameOrigin.allowed("https://pagerless.example", "same-origin", null)).isFalse();
    }
}
