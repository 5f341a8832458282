package org.pagerless.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskLane;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The only way into the task processor: publishes a command keyed by its task id, on its task's lane's topic
 * ({@link #topicOf}), and, when a person is waiting on the answer, waits for the outcome on this pod's event feed.
 */
@ApplicationScoped
public class CommandGateway {

    @Inject
    Kafka kafka;
    @Inject
    TaskCodec codec;

    private final Map<UUID, CompletableFuture<TaskCodec.Published>> waiting = new ConcurrentHashMap<>();

    /** Returns once the broker has the command (all in-sync replicas); throws if it did not take it. */
    public void submit(TaskCommand command) {
        kafka.sendAndWait(record(command));
    }

    /**
     * Completes once the broker has the command; never blocks the calling thread, and fails with
     * {@link Kafka.BrokerUnavailable} if the broker has not taken it within the accept timeout (2 s).
     */
    public java.util.concurrent.CompletionStage<Void> submitAsync(TaskCommand command) {
        return kafka.offer(record(command)).thenApply(ack -> null);
    }

    /** Returns once the broker has every command (sent together, acknowledged together); throws if any was not taken. */
    public void submitAll(List<TaskCommand> commands) {
        sendAll(commands).await();
    }

    /**
     * Sends every command without waiting for the broker; {@link Acks#await} then returns once the broker has them all
     * and throws ({@link Kafka.BrokerUnavailable}) if any was not taken.
     */
    public Acks sendAll(List<TaskCommand> commands) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(commands.size());
        for (TaskCommand command : commands) {
            sends.add(kafka.send(record(command)));
        }
        return () -> kafka.awaitAll(sends);
    }

    /** The topic the commands of the task {@code taskId} go on: its lane's, read from its id. */
    public static String topicOf(UUID taskId) {
        return topicOf(TaskLane.of(taskId));
    }

    /** The topic a lane's commands go on. */
    public static String topicOf(TaskLane lane) {
        return lane == TaskLane.STAT ? Topics.STAT_TASK_COMMANDS : Topics.TASK_COMMANDS;
    }

    private ProducerRecord<String, String> record(TaskCommand command) {
        return new ProducerRecord<>(topicOf(command.taskId()), command.taskId().toString(), codec.command(command));
    }

    /** The broker's acknowledgement of commands already sent. */
    @FunctionalInterface
    public interface Acks {
        /** Returns once the broker has every command; throws if any was not taken. */
        void await();
    }

    /**
     * Submits and waits up to {@code timeout} for the first event the command produced. Empty if the
     * processor has not answered in time; the command is still in the broker and will be applied.
     */
    public Optional<TaskCodec.Published> submitAndAwait(TaskCommand command, Duration timeout) {
        CompletableFuture<TaskCodec.Published> outcome = new CompletableFuture<>();
        waiting.put(command.commandId(), outcome);
        try {
            submit(command);
            return Optional.of(outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            waiting.remove(command.commandId());
        }
    }

    void onEvent(@Observes TaskCodec.Published event) {
        CompletableFuture<TaskCodec.Published> outcome = waiting.get(event.event().commandId());
        if (outcome != null) {
            outcome.complete(event);
        }
    }
}
