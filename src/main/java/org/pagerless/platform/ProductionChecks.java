package org.pagerless.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The production profile refuses to start on settings that would put a hospital at risk, each with one message
 * naming what to change (docs/identity.md lists every required setting). On only where
 * {@code pagerless.production-checks=true} (the {@code prod} profile); the decision itself is
 * {@link #refusals(Settings)}, a pure function tested on its own.
 */
@Singleton
public class ProductionChecks {
    /** The built-in default database password: fine on a laptop, refused in production. */
    static final String DEFAULT_DB_PASSWORD = "pagerless";
    /** The demo Web Push key pair's public half, published in application.properties. */
    static final String DEMO_VAPID_PUBLIC_KEY =
            "BGv5uBF3pLFTGJeUiVT2X7kbbjjyu2UAPeYSbOlJJpdUdjh4hukvT85GXQuXptz8j1LsGNKn-uPERRJisAucocQ";

    @Inject
    Config config;

    /** What the checks look at. */
    public record Settings(Optional<String> demoPassword, Optional<String> dbPassword, boolean twilioConfigured,
                           Optional<String> publicUrl, boolean oidcEnabled, Optional<String> oidcIssuer,
                           Optional<String> vapidPublicKey, Optional<String> sessionSecret) {

        /**
         * What {@code config} sets, read as the app reads it at start; KustomizeOverlaysTest reads a rendered
         * Deployment's environment with it, so the production overlay cannot lack a setting checked here.
         */
        public static Settings of(Config config) {
            return new Settings(
                    value(config, "pagerless.identity.demo-password"),
                    value(config, "quarkus.datasource.password"),
                    value(config, "pagerless.twilio.account-sid").isPresent()
                            && value(config, "pagerless.twilio.auth-token").isPresent()
                            && value(config, "pagerless.twilio.from").isPresent(),
                    value(config, "pagerless.delivery.public-url"),
                    config.getOptionalValue("pagerless.identity.oidc.enabled", Boolean.class).orElse(false),
                    value(config, "pagerless.identity.oidc.issuer"),
                    value(config, "pagerless.delivery.push.vapid-public-key"),
                    value(config, "quarkus.oidc.web.token-state-manager.encryption-secret"));
        }

        private static Optional<String> value(Config config, String key) {
            return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.getOptionalValue("pagerless.production-checks", Boolean.class).orElse(false)) {
            return;
        }
        List<String> refusals = refusals(Settings.of(config));
        if (!refusals.isEmpty()) {
            throw new IllegalStateException("Pagerless refuses to start in production:\n - "
                    + String.join("\n - ", refusals));
        }
    }

    /** Every reason not to start with these settings; empty when it may. */
    public static List<String> refusals(Settings s) {
        List<String> refusals = new ArrayList<>();
        if (s.demoPassword().isPresent()) {
            refusals.add("the demo sign-in is on (PAGERLESS_IDENTITY_DEMO_PASSWORD / pagerless.identity.demo-password "
                    + "is set): it signs anyone in as any staff member, admin included, with one shared password. "
                    + "Unset it and sign in through OIDC (docs/identity.md).");
        }
        if (s.dbPassword().isEmpty() || s.dbPassword().get().equals(DEFAULT_DB_PASSWORD)) {
            refusals.add("the database password is the built-in default: set PAGERLESS_DB_PASSWORD "
                    + "(from a Kubernetes secret or a mounted file).");
        }
        if (s.twilioConfigured() && (s.publicUrl().isEmpty() || !s.publicUrl().get().startsWith("https://"))) {
            refusals.add("Twilio is configured but PAGERLESS_PUBLIC_URL is not an https:// address: Twilio's "
                    + "webhooks (status, replies, calls) could not reach Pagerless nor be verified against it.");
        }
        if (!s.oidcEnabled() || s.oidcIssuer().isEmpty()) {
            refusals.add("no identity provider: set PAGERLESS_OIDC_ISSUER (and the client settings in "
                    + "docs/identity.md), or nobody can sign in.");
        }
        if (s.sessionSecret().filter(secret -> secret.length() >= 32).isEmpty()) {
            refusals.add("PAGERLESS_OIDC_SESSION_SECRET is not set (32+ characters): the apps' sessions would be "
                    + "encrypted with a key each pod makes up, so a session would not survive a restart or another pod.");
        }
        if (s.vapidPublicKey().filter(DEMO_VAPID_PUBLIC_KEY::equals).isPresent()) {
            refusals.add("Web Push uses the demo key pair, whose private key is public: generate a pair and set "
                    + "PAGERLESS_VAPID_PUBLIC_KEY / PAGERLESS_VAPID_PRIVATE_KEY.");
        }
        return refusals;
    }
}
