package org.pagerless.interop.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
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
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The outbound event stream for integrators: every task event becomes one {@link IntegrationEvent} on
 * {@value Topics#INTEGRATION_EVENTS} (key = task id, so one task's records stay in order), published through
 * SmallRye Reactive Messaging's Kafka connector on channel {@value #CHANNEL} (DESIGN.md: the edge channels use it;
 * ADR 0037). The task events are read in a consumer group of its own ({@link Consumers}: poison is parked), so the
 * stream never holds up the task processor; a batch is done only when the broker has acknowledged all its records,
 * otherwise it is read again (at least once: integrators drop a repeat by {@code eventId}).
 */
@ApplicationScoped
public class IntegrationStream {
    /** The outgoing channel (application.properties: {@code mp.messaging.outgoing.integration-events.*}). */
    public static final String CHANNEL = "integration-events";
    static final String GROUP = "pagerless-integration-stream";
    static final int MAX_BATCH = 200;

    @Inject
    @Channel(CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * MAX_BATCH)
    Emitter<String> emitter;
    @Inject
    Consumers consumers;
    @Inject
    TaskCodec codec;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "pagerless.interop.events.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "pagerless.kafka.send-timeout", defaultValue = "10s")
    Duration sendTimeout;

    private ConsumerLoop loop;
    private ObjectWriter writer;

    /**
     * After SmallRye Reactive Messaging has wired its channels (it starts at {@code LIBRARY_BEFORE}): this bean, and
     * so its emitter, is made only then.
     */
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_AFTER) StartupEvent start) {
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
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            // One pass over the record: the event's head and the task's relayed fields, nothing else bound.
            TaskCodec.Parts<IntegrationEvent.EventHead, IntegrationEvent.TaskState> read = codec.publishedAs(
                    record.value(), IntegrationEvent.EventHead.class, IntegrationEvent.TaskState.class);
            IntegrationEvent out = IntegrationEvent.of(read.type(), read.event(), read.task());
            CompletableFuture<Void> ack = new CompletableFuture<>();
            Message<String> message = Message.of(writer.writeValueAsString(out))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(out.taskId().toString()).build())
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(e -> {
                        ack.completeExceptionally(e);
                        return CompletableFuture.completedFuture(null);
                    });
            try {
                emitter.send(message);
            } catch (RuntimeException e) {
                throw new Kafka.BrokerUnavailable(e);
            }
            acks.add(ack);
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Kafka.BrokerUnavailable(e);
        } catch (Exception e) {
            throw new Kafka.BrokerUnavailable(e);
        }
    }
}
