package org.pagerless.intake;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.pagerless.identity.AppRoles;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.IntakeRecord;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.platform.ChannelConsumer;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Topics;
import org.pagerless.rota.ReferenceData;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Bleeps and tasks that other systems publish as JSON on {@value Topics#INTAKE}, read through SmallRye Reactive
 * Messaging's Kafka connector (channel {@value #CHANNEL}, group {@value #GROUP}; application.properties
 * {@code mp.messaging.incoming.intake.*}; ADR 0003). Valid records become commands exactly as REST requests do, and
 * a record is acknowledged only once the broker has its command. A record that cannot be accepted is refused:
 * the channel's {@code dead-letter-queue} failure strategy puts it unchanged on {@value Topics#INTAKE_DLQ} with the
 * reason in {@value Topics#DLQ_REASON_HEADER} (and SmallRye's {@code dead-letter-reason}), for the sending system.
 * A record that is not text at all (null, not UTF-8, oversized), or that a rule throws on, is also parked for the
 * admin (ADR 0013). The broker not taking the command is transient: the same record is tried again until it does
 * ({@link ChannelConsumer}), never refused. A record without an idempotency key raises the task named by its topic,
 * partition and offset, so handling it again raises nothing twice. Nothing is dropped.
 */
@ApplicationScoped
public class IntakeTopicConsumer {
    private static final Logger LOG = Logger.getLogger(IntakeTopicConsumer.class);
    /** The incoming channel (application.properties: {@code mp.messaging.incoming.intake.*}). */
    public static final String CHANNEL = "intake";
    /** How the consumer is named in health, metrics and parked records. */
    public static final String NAME = "intake-consumer";
    /** The consumer group: {@code mp.messaging.incoming.intake.group.id} must say the same. */
    static final String GROUP = "pagerless-intake";

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

    private volatile ChannelConsumer consumer;

    /** Registered at start, so health and metrics name it before the first record. */
    void onStart(@Observes @Priority(40) StartupEvent start) {
        consumer();
    }

    private ChannelConsumer consumer() {
        ChannelConsumer c = consumer;
        if (c == null) {
            synchronized (this) {
                if (consumer == null) {
                    consumer = consumers.channel(NAME, CHANNEL, this::accept);
                }
                c = consumer;
            }
        }
        return c;
    }

    /** Completes once the record is acknowledged (raised) or refused to the dead-letter topic. */
    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<byte[]> message) {
        return consumer().handle(message).invoke(reason -> {
            if (reason != null) {
                registry.counter("pagerless.intake.refused").increment();
                LOG.infof("intake record refused: %s", reason);
            }
        }).replaceWithVoid();
    }

    /** Raises the task the record describes: null once the broker has the command, or why it is refused. */
    private Uni<String> accept(ConsumerRecord<String, String> record) {
        CompletionStage<?> raised;
        try {
            raised = raise(record);
        } catch (Refused refused) {
            return Uni.createFrom().item(refused.getMessage());
        }
        return Uni.createFrom().completionStage(raised).replaceWith((String) null);
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
