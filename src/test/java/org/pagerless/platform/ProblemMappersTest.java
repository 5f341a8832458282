package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import jakarta.ws.rs.core.Response;

/** What a caller is told when a request fails inside: an outage is "retry", anything else is "not taken". */
class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aDatabaseOutageWrappedByAStoreIsServiceUnavailableWithRetryAfter() {
        // Seen in the fault-injection harness: an accept while PostgreSQL was stopped answered 500.
        Response r = mappers.unexpected(new IllegalStateException(
                new PSQLException("connection lost", PSQLState.CONNECTION_FAILURE)));

        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
    }

    @Test
    void aBugIsAnInternalErrorNotARetry() {
        Response r = mappers.unexpected(new IllegalStateException("no such state"));

        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getHeaderString("Retry-After")).isNull();
    }
}
