package org.pagerless.support;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real infrastructure every Quarkus test runs against, started once per test run: a KRaft
 * Kafka broker in this JVM (Kafka's own test kit) and a real PostgreSQL (embedded binaries).
 */
public class PagerlessInfra implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE = "pagerless";
    private static KafkaClusterTestKit kafka;
    private static EmbeddedPostgres postgres;
    private static FakeTwilio twilio;
    private static FakePushService pushService;
    private static Keycloak keycloak;
    /** The app's public address as Twilio knows it (a proxy in front); tests reach it on a free local port. */
    public static final String APP_URL = "https://pagerless.test";

    @Override
    public Map<String, String> start() {
        try {
            // Keycloak boots in its own process meanwhile; only the sign-in tests wait for it (Keycloak.awaitReady).
            keycloak = Keycloak.start();
            kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            postgres = EmbeddedPostgres.builder().start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("create database " + DATABASE);
            }
            twilio = new FakeTwilio(APP_URL);
            pushService = new FakePushService();
            return Map.ofEntries(
                    Map.entry("pagerless.identity.oidc.issuer", keycloak.issuer()),
                    Map.entry("quarkus.oidc.web.credentials.secret", Keycloak.WEB_CLIENT_SECRET),
                    Map.entry("quarkus.oidc.web.token-state-manager.encryption-secret", "test-session-secret-of-32-chars-or-more"),
                    Map.entry("pagerless.twilio.account-sid", FakeTwilio.ACCOUNT_SID),
                    Map.entry("pagerless.twilio.auth-token", FakeTwilio.AUTH_TOKEN),
                    Map.entry("pagerless.twilio.from", FakeTwilio.FROM),
                    Map.entry("pagerless.twilio.base-url", twilio.baseUrl()),
                    Map.entry("pagerless.delivery.public-url", APP_URL),
                    Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                    Map.entry("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", DATABASE)),
                    Map.entry("quarkus.datasource.username", "postgres"),
                    Map.entry("quarkus.datasource.password", "postgres"));
        } catch (Exception e) {
            throw new IllegalStateException("test infrastructure did not start", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (twilio != null) {
                twilio.close();
            }
            if (pushService != null) {
                pushService.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (keycloak != null) {
                keycloak.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fake Twilio every SMS of this run goes to. */
    public static FakeTwilio twilio() {
        return twilio;
    }

    /** The fake push service every Web Push of this run goes to (subscriptions made by tests point at it). */
    public static FakePushService pushService() {
        return pushService;
    }

    /** The run's OIDC provider, once it answers. */
    public static Keycloak keycloak() {
        keycloak.awaitReady();
        return keycloak;
    }

    public static String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The broker's log directories: a test reads the batches as the broker stored them (their compression). */
    public static java.util.Set<String> brokerLogDirectories() {
        return kafka.nodes().brokerNodes().values().iterator().next().logDataDirectories();
    }

    /** A connection to the maintenance database, to act on the app's database from outside. */
    public static Connection adminConnection() throws java.sql.SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** A connection to the app's own database. */
    public static Connection connection() throws java.sql.SQLException {
        return postgres.getDatabase("postgres", DATABASE).getConnection();
    }
}
