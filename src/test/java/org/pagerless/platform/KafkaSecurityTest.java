package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Every Kafka client takes TLS and SASL settings from configuration (the same keys for each). */
class KafkaSecurityTest {

    @Test
    void saslScramOverTlsSettingsReachTheClients() {
        Map<String, String> config = Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"pagerless\" password=\"from-a-secret\";",
                "kafka.ssl.truststore.location", "/etc/kafka-ca/ca.p12",
                "kafka.ssl.truststore.type", "PKCS12",
                "kafka.bootstrap.servers", "kafka:9093",
                "kafka.unrelated", "x");
        var props = KafkaClientSettings.securitySettings(key -> Optional.ofNullable(config.get(key)));
        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka-ca/ca.p12")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .doesNotContainKeys("bootstrap.servers", "unrelated");
        assertThat((String) props.get("sasl.jaas.config")).contains("ScramLoginModule");
    }

    @Test
    void nothingConfiguredMeansThePlainDefaults() {
        assertThat(KafkaClientSettings.securitySettings(key -> Optional.empty())).isEmpty();
    }
}
