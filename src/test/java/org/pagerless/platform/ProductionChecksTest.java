package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.pagerless.platform.ProductionChecks.Settings;

class ProductionChecksTest {
    private static final Settings READY = new Settings(Optional.empty(), Optional.of("s3cret-from-vault"), true,
            Optional.of("https://pagerless.trust.nhs.uk"), true, Optional.of("https://idp.trust.nhs.uk/realms/p"),
            Optional.of("BPo7...own-key"), Optional.of("a-session-secret-of-at-least-32-chars!"));

    @Test
    void aProperlyConfiguredProductionStarts() {
        assertThat(ProductionChecks.refusals(READY)).isEmpty();
    }

    @Test
    void theDemoSignInIsRefused() {
        assertThat(ProductionChecks.refusals(new Settings(Optional.of("demo"), READY.dbPassword(), true,
                READY.publicUrl(), true, READY.oidcIssuer(), READY.vapidPublicKey(), READY.sessionSecret())))
                .singleElement().asString().contains("PAGERLESS_IDENTITY_DEMO_PASSWORD");
    }

    @Test
    void theDefaultOrAMissingDatabasePasswordIsRefused() {
        for (Optional<String> password : new Optional[] {Optional.of("pagerless"), Optional.empty()}) {
            assertThat(ProductionChecks.refusals(new Settings(Optional.empty(), password, true, READY.publicUrl(),
                    true, READY.oidcIssuer(), READY.vapidPublicKey(), READY.sessionSecret())))
                    .singleElement().asString().contains("PAGERLESS_DB_PASSWORD");
        }
    }

    @Test
    void twilioWithoutAnHttpsPublicUrlIsRefused() {
        for (Optional<String> url : new Optional[] {Optional.empty(), Optional.of("http://pagerless.local")}) {
            assertThat(ProductionChecks.refusals(new Settings(Optional.empty(), READY.dbPassword(), true, url,
                    true, READY.oidcIssuer(), READY.vapidPublicKey(), READY.sessionSecret())))
                    .singleElement().asString().contains("PAGERLESS_PUBLIC_URL");
        }
        assertThat(ProductionChecks.refusals(new Settings(Optional.empty(), READY.dbPassword(), false,
                Optional.empty(), true, READY.oidcIssuer(), READY.vapidPublicKey(), READY.sessionSecret()))).isEmpty();
    }

    @Test
    void noIdentityProviderAndTheDemoPushKeysAreRefused() {
        assertThat(ProductionChecks.refusals(new Settings(Optional.empty(), READY.dbPassword(), false,
                Optional.empty(), true, Optional.empty(), Optional.of(ProductionChecks.DEMO_VAPID_PUBLIC_KEY),
                Optional.of("too-short"))))
                .hasSize(3).anySatisfy(m -> assertThat(m).contains("PAGERLESS_OIDC_SESSION_SECRET")).anySatisfy(m -> assertThat(m).contains("PAGERLESS_OIDC_ISSUER"))
                .anySatisfy(m -> assertThat(m).contains("PAGERLESS_VAPID_PUBLIC_KEY"));
    }
}
