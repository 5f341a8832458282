package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;

import io.quarkus.test.junit.QuarkusTest;

/**
 * What the app's consumers write for each other is stored compressed (lz4, ADR 0084): a bleep's task events, as the
 * broker keeps them on disk. The bleep's command, sent alone while the switchboard waits for its {@code 202}, is not
 * (ADR 0091), nor is the outbound integration stream, read by other systems' clients.
 */
@QuarkusTest
class CompressionFlowTest extends FlowTest {

    @Test
    void aBleepsEventsAreStoredCompressedAndItsCommandAndTheIntegrationStreamAreNot() throws Exception {
        String id = Api.as("sam.patel").post("/api/v1/bleeps", Map.of("to", Map.of("role", "Medical SHO On-Call"),
                "callback", "4417", "priority", "routine")).then().statusCode(202).extract()
                .jsonPath().getString("id");

        // Each look reads the topic's files whole: every half second is often enough.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> !compressionOf(Topics.INTEGRATION_EVENTS, id).isEmpty());
        assertThat(compressionOf(Topics.TASK_COMMANDS, id)).containsOnly(CompressionType.NONE);
        assertThat(compressionOf(Topics.TASK_EVENTS, id)).containsOnly(CompressionType.LZ4);
        assertThat(compressionOf(Topics.INTEGRATION_EVENTS, id)).containsOnly(CompressionType.NONE);
    }

    /** How the broker stored the batches that hold records keyed {@code key} in {@code topic}, read from its files. */
    private static Set<CompressionType> compressionOf(String topic, String key) throws IOException {
        Set<CompressionType> found = EnumSet.noneOf(CompressionType.class);
        ByteBuffer wanted = ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
        for (String dir : PagerlessInfra.brokerLogDirectories()) {
            File[] partitions = new File(dir).listFiles((d, name) -> name.startsWith(topic + "-"));
            for (File partition : partitions == null ? new File[0] : partitions) {
                File[] segments = partition.listFiles((d, name) -> name.endsWith(".log"));
                for (File segment : segments == null ? new File[0] : segments) {
                    try (FileRecords records = FileRecords.open(segment)) {
                        for (FileChannelRecordBatch batch : records.batches()) {
                            for (Record record : batch) {
                                if (record.hasKey() && record.key().equals(wanted)) {
                                    found.add(batch.compressionType());
                                }
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
