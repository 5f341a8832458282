package org.pagerless.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.pagerless.task.model.Acknowledgements;
import org.pagerless.task.model.Escalation;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.Offer;
import org.pagerless.task.model.Ownership;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.Task.Acknowledgement;
import org.pagerless.task.model.Task.HandoverNote;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskStatus;
import org.pagerless.task.model.TaskTimer;
import org.pagerless.task.model.TimerKind;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A task's JSON: flat, field by field in the order it has always been written, whatever the shape of the model (its
 * offer, ownership, escalation and acknowledgements are parts of {@link Task}, not of its JSON). What {@code task.state}
 * stores, every published task event carries, the integration stream relays and the readers' views
 * ({@link TaskCodec.Published#task(Class)}) bind, so rows and records written before the model was reshaped still
 * load. Registered on the application's object mapper: the model stays free of JSON annotations.
 */
@Singleton
public class TaskJson implements ObjectMapperCustomizer {

    /** The serialiser and deserialiser of {@link Task}, for any object mapper (the codec benchmark has its own). */
    public static final SimpleModule MODULE = new SimpleModule("pagerless-task-json")
            .addSerializer(Task.class, new StdDelegatingSerializer(Task.class, new StdConverter<Task, Flat>() {
                @Override
                public Flat convert(Task task) {
                    return Flat.of(task);
                }
            }))
            .addDeserializer(Task.class, new StdDelegatingDeserializer<>(new StdConverter<Flat, Task>() {
                @Override
                public Task convert(Flat flat) {
                    return flat.task();
                }
            }));

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(MODULE);
    }

    /** The task's fields as written; a field missing from an older row reads as null, zero, false or empty. */
    record Flat(UUID id, TaskKind kind, Priority priority, boolean fyi, TaskStatus status, Target target,
                TaskDetails details, String requester, Instant raisedAt, int level, List<String> offeredTo,
                List<String> declinedBy, String owner, Instant acceptedAt, Instant updatedAt, long version,
                EscalationPolicy policy, int round, TaskTimer timer, TimerKind overdue,
                List<Acknowledgement> acknowledged, Instant alertedAt, HandoverNote handoverNote) {

        static Flat of(Task t) {
            Offer offer = t.offer();
            Ownership ownership = t.ownership();
            Escalation escalation = t.escalation();
            Acknowledgements acks = t.acknowledgements();
            return new Flat(t.id(), t.kind(), t.priority(), t.fyi(), t.status(), t.target(), t.details(),
                    t.requester(), t.raisedAt(), escalation.level(), offer.offeredTo(), offer.declinedBy(),
                    ownership.owner(), ownership.acceptedAt(), t.updatedAt(), t.version(), escalation.policy(),
                    escalation.round(), escalation.timer(), ownership.overdue(), acks.received(), acks.realertedAt(),
                    t.handoverNote());
        }

        Task task() {
            return new Task(id, kind, priority, fyi, status, target, details, requester, raisedAt, updatedAt, version,
                    new Offer(offeredTo, declinedBy), new Ownership(owner, acceptedAt, overdue),
                    new Escalation(policy, level, round, timer), new Acknowledgements(acknowledged, alertedAt),
                    handoverNote);
        }
    }
}
