package org.pagerless.interop.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.task.TaskCodec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The outbound event stream for integrators: every task event becomes one {@link IntegrationEvent} on
 * {@value Topics#INTEGRATION_EVENTS} (key = task id, so one task's records stay in order), published on the background
 * producer ({@link Kafka#sendBackground}: never in the page path's produce requests; ADR 0037, 0083). The task events
 * are read in a consumer group of its own ({@link Consumers}: poison is parked), so the stream never holds up the task
 * processor; a batch is done only when the broker has acknowledged all its records, otherwise it is read again (at
 * least once: integrators drop a repeat by {@code eventId}).
 */
@ApplicationScoped
public class IntegrationStream {
    static final String GROUP = "pagerless-integration-stream";
    static final int MAX_BATCH = 200;

    @Inject
    Kafka kafka;
    @Inject
    Consumers consumers;
    @Inject
    TaskCodec codec;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "pagerless.interop.events.enabled", defaultValue = "true")
    boolean enabled;

    private ConsumerLoop loop;
    private ObjectWriter writer;

    void onStart(@Observes StartupEvent start) {
        if (!enabled) {
            return;
        }
        writer = json.writerFor(IntegrationEvent.class);
        loop = consumers.background("integration-stream", GROUP, Topics.TASK_EVENTS, MAX_BATCH, this::publish);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Publishes the batch and waits for the broker; a failure to publish is transient (the batch is read again). */
    private void publish(List<ConsumerRecord<String, String>> records) throws JsonProcessingException {
        List<Future<?>> acks = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            // One pass over the record: the event's head and the task's relayed fields, nothing else bound.
            TaskCodec.Parts<IntegrationEvent.EventHead, IntegrationEvent.TaskState> read = codec.publishedAs(
                    record.value(), IntegrationEvent.EventHead.class, IntegrationEvent.TaskState.class);
            IntegrationEvent out = IntegrationEvent.of(read.type(), read.event(), read.task());
            acks.add(kafka.sendBackground(new ProducerRecord<>(Topics.INTEGRATION_EVENTS, out.taskId().toString(),
                    writer.writeValueAsString(out))));
        }
        kafka.awaitAll(acks);
    }
}
