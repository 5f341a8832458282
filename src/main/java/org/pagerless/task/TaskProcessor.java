package org.pagerless.task;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.Jdbc;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.Teams;
import org.pagerless.rota.model.Hospital;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.NurseInChargeAlerted;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskOverdue;
import org.pagerless.task.model.TaskLane;
import org.pagerless.task.model.TaskTimer;
import org.pagerless.task.model.Target;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The single writer of task state. Consumes {@value Topics#TASK_COMMANDS} in batches; for each batch,
 * in one database transaction: skips commands already applied, decides each remaining one in
 * partition order with {@link Task#decide}, and stores new states, events and applied command ids.
 * Only after the commit are the events published, and only after the broker has them are the
 * offsets committed. Each task's timer row is written in the same transaction as its state, so a timer
 * exists exactly when the committed task is waiting on one (ADR 0005). Any failure rewinds to the
 * batch's first offsets and retries with backoff, so a command is never lost; re-applying one
 * republishes its stored events and changes nothing.
 * <p>
 * Several consumers ({@code pagerless.processor.consumers} per pod, any number of pods) share the partitions; each
 * batch locks the rows of the tasks it decides ({@link TaskStore#load}), so even a consumer that lost its partition
 * mid-batch (a rebalance after a stall, a replay of a parked record) cannot decide on a state another has moved on.
 * <p>
 * Stat tasks' commands come on {@value Topics#STAT_TASK_COMMANDS}, read by a group of their own
 * ({@code pagerless.processor.stat-consumers} per pod) and applied the same way: however far behind the routine lane
 * is, a stat task waits only for the stat commands before it (ADR 0099).
 */
@ApplicationScoped
public class TaskProcessor {
    static final String GROUP = "pagerless-task-processor";
    static final String STAT_GROUP = "pagerless-task-processor-stat";

    @Inject
    Kafka kafka;
    @Inject
    Jdbc jdbc;
    @Inject
    TaskStore store;
    @Inject
    TaskCodec codec;
    @Inject
    ReferenceData referenceData;
    @Inject
    OfferRouting escalation;
    @Inject
    TimerRows timers;
    @Inject
    Teams teams;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;
    @Inject
    Consumers consumers;
    @Inject
    TaskMetrics metrics;

    @ConfigProperty(name = "pagerless.processor.max-batch", defaultValue = "500")
    int maxBatch;

    /** Consumers in this pod's share of the group: partitions are applied in parallel, each by one thread. */
    @ConfigProperty(name = "pagerless.processor.consumers", defaultValue = "2")
    int consumerCount;

    /**
     * Consumers of the stat lane in this pod: its commands never wait for the routine lane's. Two, as the routine lane:
     * with one, each batch waited for the one before it to be acknowledged (ADR 0099, docs/benchmarks.md stop 64).
     */
    @ConfigProperty(name = "pagerless.processor.stat-consumers", defaultValue = "2")
    int statConsumerCount;

    private final Map<TaskLane, ConsumerLoop> loops = new EnumMap<>(TaskLane.class);

    void onStart(@Observes @Priority(30) StartupEvent start) {
        loops.put(TaskLane.ROUTINE, lane(TaskLane.ROUTINE, "task-processor", GROUP, consumerCount));
        loops.put(TaskLane.STAT, lane(TaskLane.STAT, "task-processor-stat", STAT_GROUP, statConsumerCount));
        start();
    }

    /** The loop of one lane: its topic, its group, and its lag tagged with the lane. */
    private ConsumerLoop lane(TaskLane lane, String name, String group, int members) {
        Timer lag = Timer.builder("pagerless.commands.lag").tag("lane", lane.name().toLowerCase())
                .description("Time from a command reaching the broker to its being applied")
                .publishPercentileHistogram().register(registry);
        return consumers.group(name, group, CommandGateway.topicOf(lane), maxBatch, members,
                records -> apply(records, lag));
    }

    void onStop(@Observes ShutdownEvent stop) {
        stop();
    }

    /** Starts consuming both lanes where their groups left off. */
    public void start() {
        loops.values().forEach(ConsumerLoop::start);
    }

    /** Starts consuming one lane where its group left off. */
    public void start(TaskLane lane) {
        loops.get(lane).start();
    }

    /** Whether both lanes' commands are being consumed (false when stopped or when a loop has died). */
    public boolean isConsuming() {
        return !loops.isEmpty() && loops.values().stream().allMatch(ConsumerLoop::isAlive);
    }

    /** Stops consuming both lanes; commands keep arriving in Kafka and are applied on the next start. */
    public void stop() {
        loops.values().forEach(ConsumerLoop::stop);
    }

    /** Stops consuming one lane; its commands keep arriving in Kafka and are applied on the next start. */
    public void stop(TaskLane lane) {
        loops.get(lane).stop();
    }

    /**
     * Applies one batch. A command that cannot be read, or that the rules cannot decide, throws: the loop isolates
     * and parks it, and the rest of the batch is applied once (ADR 0013).
     */
    private void apply(List<ConsumerRecord<String, String>> records, Timer lag) throws Exception {
        List<TaskCommand> commands = new ArrayList<>(records.size());
        for (var record : records) {
            commands.add(codec.command(record.value()));
        }
        List<ProducerRecord<String, String>> toPublish = new ArrayList<>();
        TaskCodec.Batch encoded = codec.batch();
        List<Runnable> afterCommit = new ArrayList<>();
        jdbc.transaction(c -> {
            Set<UUID> applied = store.applied(c, commands.stream().map(TaskCommand::commandId).toList());
            Map<UUID, Task> tasks = store.load(c, commands.stream().map(TaskCommand::taskId).distinct().toList());
            Map<UUID, Task> changed = new LinkedHashMap<>();
            Map<UUID, TaskTimer> timersBefore = new HashMap<>();
            List<TaskEvent> events = new ArrayList<>();
            List<TaskCommand> newlyApplied = new ArrayList<>();
            Set<UUID> seen = new java.util.HashSet<>(applied);
            Hospital hospital = referenceData.hospital();
            for (TaskCommand received : commands) {
                TaskCommand command = SupervisorRights.asRecorded(received, hospital);
                if (!seen.add(command.commandId())) {
                    if (applied.contains(command.commandId())) {
                        // Applied before, perhaps published before too: publish again (consumers dedupe by event id).
                        Task task = tasks.get(command.taskId());
                        List<TaskEvent> stored = store.eventsOf(c, command.commandId());
                        for (TaskEvent e : stored) {
                            toPublish.add(record(encoded, e, task, audience(null, task, stored)));
                        }
                    }
                    continue;
                }
                Task before = tasks.get(command.taskId());
                Instant now = clock.instant();
                Decision decision = Task.decide(before, command, context(command, before, hospital, now), now);
                Task after = decision.task();
                if (after != null && after != before) {
                    if (!changed.containsKey(after.id())) {
                        timersBefore.put(after.id(), before == null ? null : before.timer());
                    }
                    tasks.put(after.id(), after);
                    changed.put(after.id(), after);
                }
                events.addAll(decision.events());
                newlyApplied.add(command);
                List<String> audience = audience(before, after, decision.events());
                for (TaskEvent e : decision.events()) {
                    toPublish.add(record(encoded, e, after, audience));
                    afterCommit.add(() -> measure(e, after));
                }
            }
            store.save(c, changed.values(), events, newlyApplied, encoded);
            Map<UUID, TaskTimer> timerChanges = new HashMap<>();
            for (Task t : changed.values()) {
                if (!Objects.equals(timersBefore.get(t.id()), t.timer())) {
                    timerChanges.put(t.id(), t.timer());
                }
            }
            timers.write(c, timerChanges);
        });
        List<Future<RecordMetadata>> sends = new ArrayList<>(toPublish.size());
        for (ProducerRecord<String, String> r : toPublish) {
            sends.add(kafka.send(r));
        }
        kafka.awaitAll(sends);
        long nowMillis = System.currentTimeMillis();
        for (var record : records) {
            lag.record(Math.max(0, nowMillis - record.timestamp()), TimeUnit.MILLISECONDS);
        }
        afterCommit.forEach(Runnable::run);
    }

    /**
     * What the rota says now: the addressee's holders and the task's chain resolved live. Decided here, for every
     * command (the switch has no default: a new command does not compile until it is placed). Only commands that may
     * offer the task to someone new need it: raising, reassigning, declining (the last decline moves the chain on),
     * an expired timer, escalating now, passing up, a handover at shift change and a hand back.
     */
    private OfferContext context(TaskCommand command, Task before, Hospital hospital, Instant now) {
        return switch (command.commandType()) {
            case RAISE -> {
                RaiseTask raise = (RaiseTask) command;
                yield raise.target().type() == Target.Type.TEAM
                        // A broadcast: every current holder of the team's roles at once, no chain.
                        ? new OfferContext(teams.holders(raise.target().id(), hospital, now))
                        : escalation.forRaise(raise, hospital, now);
            }
            // The new addressee's holders and its own chain: escalation follows the new target from now on.
            case REASSIGN -> before == null ? OfferContext.NONE
                    : escalation.forReassign(before, ((TaskCommand.ReassignTask) command).to(), hospital, now);
            // Who is nurse in charge of the ward the patient moved to: they are told, and see it on their board.
            case RELOCATE -> before == null ? OfferContext.NONE
                    : escalation.forRelocate(((TaskCommand.RelocateTask) command).to().wardId(), hospital, now);
            case DECLINE, ESCALATION_DUE, ESCALATE_NOW, HAND_OVER, HAND_BACK, PASS_UP ->
                before == null ? OfferContext.NONE : escalation.forTask(before, hospital, now);
            case ACCEPT, START, COMPLETE, ACKNOWLEDGE_BROADCAST, REALERT_MISSING, ADD_HANDOVER_NOTE, CANCEL ->
                OfferContext.NONE;
        };
    }

    /**
     * Everyone whose view of the task changes: those offered it before or after, its owner, its requester,
     * and whoever an alert or reminder among {@code events} was addressed to.
     */
    static List<String> audience(Task before, Task after, List<TaskEvent> events) {
        Set<String> who = new LinkedHashSet<>();
        for (Task t : new Task[] {before, after}) {
            if (t != null) {
                who.addAll(t.offeredTo());
                if (t.owner() != null) {
                    who.add(t.owner());
                }
                who.add(t.requester());
            }
        }
        for (TaskEvent e : events) {
            if (e instanceof SwitchboardAlerted alert) {
                who.addAll(alert.told());
            } else if (e instanceof NurseInChargeAlerted alert) {
                who.addAll(alert.told());
            } else if (e instanceof TaskOverdue overdue) {
                who.addAll(overdue.told());
            } else if (e instanceof TaskEvent.TaskRelocated relocated) {
                who.addAll(relocated.told());
            }
        }
        return List.copyOf(who);
    }

    /** The event's record, with its type in a header too (Topics#EVENT_TYPE_HEADER) for consumers that skip types. */
    private static ProducerRecord<String, String> record(TaskCodec.Batch encoded, TaskEvent event, Task task,
                                                         List<String> audience) {
        return new ProducerRecord<>(Topics.TASK_EVENTS, null, event.taskId().toString(),
                encoded.published(event, task, audience), TaskCodec.typeHeaders(event));
    }

    /** The clinical measures ({@link TaskMetrics}): after the commit and the broker's acknowledgement. */
    private void measure(TaskEvent event, Task task) {
        metrics.record(event, task);
    }
}
