package org.pagerless.interop.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** When a failed FHIR Subscription notification is tried again: doubling from the first wait, capped, then given up. */
class FhirSubscriptionRetryTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration FIRST = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(30);

    @Test
    void theWaitDoublesAfterEachFailureUpToTheCap() {
        assertThat(FhirSubscriptionSender.retryAt(1, 12, FIRST, MAX, NOW)).isEqualTo(NOW.plusSeconds(10));
        assertThat(FhirSubscriptionSender.retryAt(2, 12, FIRST, MAX, NOW)).isEqualTo(NOW.plusSeconds(20));
        assertThat(FhirSubscriptionSender.retryAt(4, 12, FIRST, MAX, NOW)).isEqualTo(NOW.plusSeconds(80));
        assertThat(FhirSubscriptionSender.retryAt(11, 12, FIRST, MAX, NOW)).isEqualTo(NOW.plus(MAX));
    }

    @Test
    void afterTheLastAttemptTheNotificationIsGivenUp() {
        assertThat(FhirSubscriptionSender.retryAt(12, 12, FIRST, MAX, NOW)).isNull();
    }

    @Test
    void everyRetryOfOneChangeCarriesTheSameNotificationId() {
        java.util.UUID subscription = java.util.UUID.randomUUID();
        java.util.UUID change = java.util.UUID.randomUUID();
        assertThat(FhirSubscriptionSender.notificationId(subscription, change))
                .isEqualTo(FhirSubscriptionSender.notificationId(subscription, change))
                .isNotEqualTo(FhirSubscriptionSender.notificationId(subscription, java.util.UUID.randomUUID()));
    }
}
