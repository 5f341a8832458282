package org.pagerless.platform;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import org.apache.kafka.clients.CommonClientConfigs;

/** What every Kafka client here starts from: the connection's security settings, the broker's address, no JMX. */
final class KafkaClientSettings {

    /**
     * The client settings that secure the connection (TLS, SASL), shared by every client here:
     * {@code kafka.security.protocol}, {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config},
     * {@code kafka.ssl.*}... (env {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}...). See
     * docs/security.md, Transport and secrets.
     */
    private static final List<String> SECURITY_SETTINGS = List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "sasl.client.callback.handler.class", "sasl.login.callback.handler.class",
            "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type", "ssl.truststore.certificates",
            "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type", "ssl.keystore.certificate.chain",
            "ssl.keystore.key", "ssl.key.password", "ssl.endpoint.identification.algorithm", "ssl.protocol",
            "ssl.enabled.protocols");

    private KafkaClientSettings() {
    }

    /** The security settings present in configuration ({@code lookup} of {@code kafka.<setting>}), as client properties. */
    static Properties securitySettings(Function<String, Optional<String>> lookup) {
        Properties props = new Properties();
        for (String key : SECURITY_SETTINGS) {
            lookup.apply("kafka." + key).filter(v -> !v.isBlank()).ifPresent(v -> props.put(key, v.strip()));
        }
        return props;
    }

    /** The security settings, and the broker's address under {@code bootstrapKey}, the client type's own key. */
    static Properties common(Function<String, Optional<String>> lookup, String bootstrapKey, String bootstrapServers) {
        Properties props = securitySettings(lookup);
        props.put(bootstrapKey, bootstrapServers);
        // No JMX reporter, Kafka's default: nothing reads the clients' metrics as MBeans, and registering them was
        // ~0.13 s of a start's CPU (issue 13). The clients still count them; the commands' lag is our own metric.
        props.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        return props;
    }
}
