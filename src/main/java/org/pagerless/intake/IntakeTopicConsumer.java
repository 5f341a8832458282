package org.pagerless.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.pagerless.identity.AppRoles;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.IntakeRecord;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.platform.ConsumerLoop;
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
 * commands exactly as REST requests do; invalid ones go to {@value Topics#INTAKE_DLQ} unchanged, with
 * the reason in the {@value Topics#DLQ_REASON_HEADER} header. Nothing is dropped.
 */
@ApplicationScoped
public class IntakeTopicConsumer {
    private static final Logger LOG = Logger.getLogger(IntakeTopicConsumer.class);

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

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        loop = new ConsumerLoop("intake-consumer", () -> kafka.consumer("pagerless-intake", "intake-consumer", 200),
                Topics.INTAKE, this::handle);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    private void handle(ConsumerRecords<String, String> records) {
        List<Future<?>> sends = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                sends.add(accept(record.value()).toCompletableFuture());
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
    private CompletionStage<?> accept(String value) throws Refused {
        IntakeRecord in;
        try {
            in = json.readValue(value, IntakeRecord.class);
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
        try {
            if ("bleep".equals(in.kind())) {
                return intake.bleep(new BleepRequest(in.to(), in.callback(), in.message(), in.priority(), in.fyi()),
                        in.requester(), in.idempotencyKey());
            }
            if ("task".equals(in.kind())) {
                return intake.task(new TaskRequest(in.to(), in.patient(), in.location(), in.type(), in.detail(),
                        in.priority(), in.news2(), in.fyi()), in.requester(), in.idempotencyKey());
            }
            throw new Refused("kind: must be bleep or task");
        } catch (InvalidRequest e) {
            throw new Refused(e.violations().stream().map(v -> v.field() + ": " + v.reason())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid"));
        }
    }
}
