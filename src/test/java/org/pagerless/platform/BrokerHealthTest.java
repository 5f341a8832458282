package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Ports;

/**
 * A broker that does not answer makes the pod not ready, with the reason, within the check's patience (the answering
 * broker's UP, with its address, is OperationsFlowTest's).
 */
class BrokerHealthTest {

    @Test
    void aBrokerThatDoesNotAnswerIsDownWithTheReason() throws Exception {
        int closed = Ports.free();
        Kafka kafka = new Kafka();
        kafka.admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + closed));
        try {
            BrokerHealth health = new BrokerHealth();
            health.kafka = kafka;
            HealthCheckResponse response = health.call();
            assertThat(response.getName()).isEqualTo("Kafka connection health check");
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data.get("reason")).isNotNull());
        } finally {
            kafka.admin.close(java.time.Duration.ZERO);
        }
    }
}
