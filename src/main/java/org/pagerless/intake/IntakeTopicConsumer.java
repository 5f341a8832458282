package org.pagerless.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.identity.AppRoles;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.IntakeRecord;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.DeadLetters;
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
 * Bleeps and tasks that other systems publish as JSON on {@value Topics#INTAKE}, read by a consumer loop in group
 * {@value #GROUP} ({@link Consumers#refusing}; ADR 0003, 0083). Valid records become commands exactly as REST
 * requests do, a batch's all at once, and the batch is done only once the broker has every command. A record that
 * cannot be accepted is refused: it goes unchanged to {@value Topics#INTAKE_DLQ} with the reason
 * ({@link DeadLetters}: {@value Topics#DLQ_REASON_HEADER} and {@value DeadLetters#REASON}) and where it was, for the
 * sending system. A record that is not text at all (null, not UTF-8, oversized), or that a rule throws on, is also
 * parked for the admin (ADR 0013). The broker not taking a command or a refusal is transient: the batch is tried
 * again until it does, never refused. A record without an idempotency key raises the task named by its topic,
 * partition and offset, so handling it again raises nothing twice; a refusal handled again is sent again (at least
 * once). Nothing is dropped.
 */
@ApplicationScoped
public class IntakeTopicConsumer {
    private static final Logger LOG = Logger.getLogger(IntakeTopicConsumer.class);
    /** How the consumer is named in health, metrics and parked records. */
    public static final String NAME = "intake-consumer";
    /** The consumer group (the one the intake topic's offsets have always been committed in). */
    public static final String GROUP = "pagerless-intake";
    static final int MAX_BATCH = 200;

    /** The integrations that may name themselves as requester on the intake topic (issue 10). */
    @ConfigProperty(name = "pagerless.intake.topic-requesters", defaultValue = "epr,nurse-call")
    Set<String> topicRequesters;

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
    @Inject
    DeadLetters deadLetters;
    @Inject
    Kafka kafka;

    private ConsumerLoop loop;

    void onStart(@Observes @Priority(40) StartupEvent start) {
        loop = consumers.refusing(NAME, GROUP, Topics.INTAKE, MAX_BATCH, Topics.INTAKE_DLQ, this::accept);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Whether the loop is consuming (liveness: {@link IntakeTopicHealth}). */
    boolean isConsuming() {
        return loop != null && loop.isAlive();
    }

    /** Raises every record the batch describes and refuses the rest; returns once the broker has them all. */
    private void accept(List<ConsumerRecord<String, String>> records) {
        List<Future<?>> sends = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            try {
                sends.add(raise(record).toCompletableFuture());
            } catch (Refused refused) {
                registry.counter("pagerless.intake.refused").increment();
                LOG.infof("intake record refused: %s", refused.getMessage());
                sends.add(deadLetters.refuse(Topics.INTAKE_DLQ, record, refused.getMessage()));
            }
        }
        kafka.awaitAll(sends);
    }

    /** Why a record cannot be accepted; never quotes patient data. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Raises the task the record describes; completes when the broker has the command. */
    private CompletionStage<?> raise(ConsumerRecord<String, String> record) throws Refused {
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
