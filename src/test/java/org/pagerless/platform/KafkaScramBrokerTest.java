package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The app's own Kafka clients ({@link Kafka}: producer and consumer, built from {@code kafka.security.protocol},
 * {@code kafka.sasl.*}) against a real broker whose listener takes SASL/SCRAM-SHA-512 only for them: a KRaft test-kit
 * broker with a SASL_PLAINTEXT listener (PLAIN for the kit's own admin, which creates the SCRAM credential through
 * {@code alterUserScramCredentials}, as Strimzi's user operator does). With the right password the app produces and
 * consumes; with a wrong one the broker refuses it. A plain test: its own broker, no Quarkus.
 */
class KafkaScramBrokerTest {
    static final String USER = "pagerless";
    static final String PASSWORD = "scram-secret-from-a-kubernetes-secret";
    static final String TOPIC = "pagerless.scram-check.v1";

    static KafkaClusterTestKit broker;

    @BeforeAll
    static void startASaslBroker() throws Exception {
        broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                // The kit then runs an authorizer whose super user is its PLAIN admin: controllers speak SASL too.
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // The kit's listener speaks PLAIN (its admin); SCRAM-SHA-512 is added for the application.
                .setConfigProp("listener.name.external.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                .setConfigProp("listener.name.external.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .build();
        broker.format();
        broker.startup();
        broker.waitForReadyBrokers();
        try (Admin admin = Admin.create(kitAdmin())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD))).all().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // As Strimzi's KafkaUser does: the application's user may use its topics and consumer groups, no more.
            admin.createAcls(List.of(
                    new AclBinding(new ResourcePattern(ResourceType.TOPIC, "pagerless.", PatternType.PREFIXED),
                            new AccessControlEntry("User:" + USER, "*", AclOperation.ALL, AclPermissionType.ALLOW)),
                    new AclBinding(new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL),
                            new AccessControlEntry("User:" + USER, "*", AclOperation.ALL, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theAppsClientsProduceAndConsumeOverScramSha512() throws Exception {
        Kafka kafka = appKafka(PASSWORD);
        // The credential reaches the broker through the metadata log a moment after the admin call returns.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerProperties("pagerless-scram-test", java.time.Duration.ofMillis(1), "lz4"))) {
                producer.send(new ProducerRecord<>(TOPIC, "ward-7b", "over SCRAM")).get(20, TimeUnit.SECONDS);
                return true;
            }
        });
        try (KafkaConsumer<byte[], ByteBuffer> consumer = kafka.consumer(null, "scram-check", 10)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], ByteBuffer> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(PoisonIsolation.utf8(r.value()));
                }
                return !values.isEmpty();
            });
            assertThat(values).contains("over SCRAM");
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() {
        Kafka kafka = appKafka("not-the-password");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerProperties("pagerless-scram-test", java.time.Duration.ofMillis(1)))) {
            Throwable refused = catchThrowable(() -> producer.send(new ProducerRecord<>(TOPIC, "k", "never"))
                    .get(30, TimeUnit.SECONDS));
            List<Throwable> causes = new ArrayList<>();
            for (Throwable t = refused; t != null && !causes.contains(t); t = t.getCause()) {
                causes.add(t);
            }
            assertThat(causes).as("why the send failed").anyMatch(t -> t instanceof SaslAuthenticationException);
        }
    }

    /** The application's Kafka bean configured as production would be, through the same configuration keys. */
    private static Kafka appKafka(String password) {
        Properties settings = new Properties();
        settings.put("kafka.security.protocol", "SASL_PLAINTEXT");
        settings.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + USER + "\" password=\"" + password + "\";");
        Kafka kafka = new Kafka();
        kafka.config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(toMap(settings), "scram-test", 500)).build();
        kafka.bootstrapServers = broker.bootstrapServers();
        kafka.sendTimeout = Duration.ofSeconds(15);
        return kafka;
    }

    /** The kit's own admin over its SASL_PLAINTEXT listener (PLAIN, the user the kit configures). */
    private static Properties kitAdmin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "PLAIN");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"plain-admin\" password=\"plain-admin-secret\";");
        return props;
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> map = new java.util.HashMap<>();
        p.forEach((k, v) -> map.put((String) k, (String) v));
        return map;
    }
}
