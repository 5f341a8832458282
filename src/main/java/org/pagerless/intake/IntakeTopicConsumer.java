package org.pagerless.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.pagerless.identity.AppRoles;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.IntakeRecord;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.rota.ReferenceData;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Bleeps and tasks that other systems publish as JSON on {@value Topics#INTAKE}. Valid records become
 * commands exactly as REST requests do; invalid ones (readable, but refused: an unknown role, a bad NHS number)
 * go to {@value Topics#INTAKE_DLQ} unchanged, with the reason in the {@value Topics#DLQ_REASON_HEADER} header, for
 * the sending system. Records that are not text at all (null, not UTF-8, oversized) are parked by the loop (ADR
 * 0013). A record without an idempotency key raises the task named by its topic, partition and offset, so
 * handling it again raises nothing twice. Nothing is dropped.
 */
@ApplicationScoped
public class IntakeTopicConsumer {
    private static final Logger LOG = Logger.getLogger(IntakeTopicConsumer.class);
    static final String GROUP = "pagerless-intake";

    /** The integrations that may name themselves as requester on the intake topic (issue 10). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "pagerless.intake.topic-requesters",
            defaultValue = "epr,nurse-call")
    java.util.Set<String> topicRequesters;

    @Inject
    Kafka kafka;
    @Inject
    Intake intake;
    @Inject
    ObjectMapper json;
    @Inject
    ReferenceData referenceData;
    @Inject
    MeterRegistry registry;
    @Inject
    Consumers consumers;

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        loop = consumers.group("intake-consumer", GROUP, Topics.INTAKE, 200, this::handle);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    private void handle(List<ConsumerRecord<String, String>> records) {
        List<Future<?>> sends = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                sends.add(accept(record).toCompletableFuture());
            } catch (Refused refused) {
                ProducerRecord<String, String> dlq = new ProducerRecord<>(Topics.INTAKE_DLQ, record.key(), record.value());
                dlq.headers().add(Topics.DLQ_REASON_HEADER, refused.getMessage().getBytes(StandardCharsets.UTF_8));
                sends.add(kafka.sendAsync(dlq));
                registry.counter("pagerless.intake.refused").increment();
                LOG.infof("intake record at partition %d offset %d refused: %s", record.partition(), record.offset(),
                        refused.getMessage());
            }
        }
        // Only when the broker has every command and every refusal is the batch done.
        kafka.awaitAll(sends);
    }

    /** Why a record cannot be accepted; never quotes patient data. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Raises the task the record describes; completes when the broker has the command. */
    private CompletionStage<?> accept(ConsumerRecord<String, String> record) throws Refused {
        IntakeRecord in;
        try {
            in = json.readValue(record.value(), IntakeRecord.class);
        } catch (JsonProcessingException e) {
            throw new Refused("body: is not a valid intake record (JSON object with kind, requester, to, priority...)");
        }
        if (in == null) {
            throw new Refused("body: is empty");
        }
        if (in.requester() == null || referenceData.hospital().staff(in.requester()).isEmpty()) {
            throw new Refused("requester: must be the staff id of a known person or system");
        }
        // Whoever can write to the topic could otherwise raise tasks in any person's name.
        if (!topicRequesters.contains(in.requester()) || !referenceData.hospital().staff(in.requester())
                .map(s -> AppRoles.INTEGRATION.equals(s.appRole())).orElse(false)) {
            throw new Refused("requester: must be an integration allowed on the intake topic "
                    + "(pagerless.intake.topic-requesters)");
        }
        UUID taskId = in.idempotencyKey() == null || in.idempotencyKey().isBlank()
                ? Intake.taskIdOfRecord(record.topic(), record.partition(), record.offset())
                : Intake.taskId(in.requester(), in.idempotencyKey());
        try {
            if ("bleep".equals(in.kind())) {
                return intake.bleep(new BleepRequest(in.to(), in.callback(), in.message(), in.priority(), in.fyi()),
                        in.requester(), taskId);
            }
            if ("task".equals(in.kind())) {
                return intake.task(new TaskRequest(in.to(), in.patient(), in.location(), in.type(), in.detail(),
                        in.priority(), in.news2(), in.fyi()), in.requester(), taskId);
            }
            throw new Refused("kind: must be bleep or task");
        } catch (InvalidRequest e) {
            throw new Refused(e.violations().stream().map(v -> v.field() + ": " + v.reason())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid"));
        }
    }
}
