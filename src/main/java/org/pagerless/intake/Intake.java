package org.pagerless.intake;

import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.pagerless.intake.IntakeRequests.Accepted;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.intake.IntakeRequests.Warning;
import org.pagerless.platform.Ids;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.CommandGateway;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskLane;
import org.pagerless.task.model.TaskStatus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Takes bleeps, task requests and broadcasts in: validates them against cached reference data and hands a
 * {@link RaiseTask} to the broker. Every way of raising a task comes through here. Never touches the database, so
 * intake keeps working when it is down.
 */
@ApplicationScoped
public class Intake {

    @Inject
    ReferenceData referenceData;
    @Inject
    CommandGateway gateway;
    @Inject
    InstantSource clock;
    @Inject
    KnownPatients knownPatients;

    /** The warning for a bleep whose message names a patient the ADT feed has told us of. */
    public static final Warning NAMES_A_PATIENT = new Warning("message", "names a patient known from the ADT feed: "
            + "bleep messages are shown on consoles and boards, so leave names out and send patient details as a task");

    /** Validates at once (throws {@link org.pagerless.platform.InvalidRequest}); completes when the broker has it. */
    public CompletionStage<Accepted> bleep(BleepRequest request, String requester, String idempotencyKey) {
        return bleep(request, requester, taskId(requester, idempotencyKey));
    }

    /** As above, for a task id the caller has derived (see {@link #taskIdOfRecord}). */
    public CompletionStage<Accepted> bleep(BleepRequest request, String requester, UUID taskId) {
        RaiseTask raise = IntakeValidator.bleep(request, requester, taskId, raiseId(taskId), referenceData.hospital(),
                clock.instant());
        if (knownPatients.namedIn(raise.details().message())) {
            // Taken (switchboard may have no other way to say it), but flagged: to the sender now, and wherever the
            // message is shown, which is only to those the bleep concerns.
            return submit(new RaiseTask(raise.commandId(), raise.taskId(), raise.actor(), raise.kind(), raise.priority(),
                    raise.fyi(), raise.target(), raise.details().namingPatient()), List.of(NAMES_A_PATIENT));
        }
        return submit(raise, List.of());
    }

    /** Validates at once (throws {@link org.pagerless.platform.InvalidRequest}); completes when the broker has it. */
    public CompletionStage<Accepted> task(TaskRequest request, String requester, String idempotencyKey) {
        return task(request, requester, taskId(requester, idempotencyKey));
    }

    /** As above, for a task id the caller has derived (see {@link #taskIdOfRecord}). */
    public CompletionStage<Accepted> task(TaskRequest request, String requester, UUID taskId) {
        return submit(IntakeValidator.task(request, requester, taskId, raiseId(taskId), referenceData.hospital(),
                clock.instant()), List.of());
    }

    /**
     * A 2222 / major-incident broadcast to the team {@code teamId} (already found by the caller), stat, no chain: every
     * current holder of the team's roles is alerted. Completes when the broker has it. With an idempotency key, the same
     * requester and key always name the same broadcast.
     */
    public CompletionStage<Accepted> broadcast(String teamId, String message, String location, String requester,
                                               String idempotencyKey) {
        UUID taskId = TaskLane.STAT.taskId(idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID()
                : Ids.derived("broadcast", requester, idempotencyKey));
        return submit(new RaiseTask(raiseId(taskId), taskId, requester, TaskKind.BROADCAST, Priority.STAT, false,
                Target.team(teamId), new TaskDetails(null, message, null, null, "broadcast", location, null)), List.of());
    }

    private CompletionStage<Accepted> submit(RaiseTask raise, List<Warning> warnings) {
        Accepted accepted = new Accepted(raise.taskId(), TaskStatus.REQUESTED.code(), warnings);
        // The broker acknowledges on its own I/O thread; the answer must go back on the request's context.
        Context requestContext = Vertx.currentContext();
        CompletableFuture<Accepted> answer = new CompletableFuture<>();
        gateway.submitAsync(raise).whenComplete((ack, error) -> {
            Runnable reply = () -> {
                if (error == null) {
                    answer.complete(accepted);
                } else {
                    // Unwrapped, so the problem mapper sees the broker's 503 rather than a wrapper's 500.
                    answer.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                }
            };
            if (requestContext == null) {
                reply.run();
            } else {
                requestContext.runOnContext(ignored -> reply.run());
            }
        });
        return answer;
    }

    /**
     * With an idempotency key, the same requester and key always name the same task, so a retried
     * request raises it once. Without one, every request is a new task. This is the id in the routine lane; a stat
     * task's is {@code TaskLane.STAT.taskId} of it (see {@link TaskLane}).
     */
    public static UUID taskId(String requester, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return UUID.randomUUID();
        }
        return Ids.derived("intake", requester, idempotencyKey);
    }

    /**
     * The task an intake-topic record without an idempotency key raises: named by where the record is (topic,
     * partition, offset), so handling the record again, after a retry or a restart, raises the same task once.
     */
    public static UUID taskIdOfRecord(String topic, int partition, long offset) {
        return Ids.derived("intake-record", topic, partition, offset);
    }

    private static UUID raiseId(UUID taskId) {
        return Ids.derived("raise", taskId);
    }
}
