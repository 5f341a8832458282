package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.pagerless.escalation.TimerStore.Claim;
import org.pagerless.escalation.TimerStore.DueTimer;
import org.pagerless.escalation.TimerStore.Upcoming;
import org.pagerless.platform.Jdbc;
import org.pagerless.task.CommandGateway.Acks;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.EscalationDue;

/**
 * One claimant of due timers (in the application its sender is {@code CommandGateway#sendAll}). Any number may run at
 * once, on one pod or many: a batch takes due rows with {@code FOR UPDATE SKIP LOCKED} and deletes them in the same
 * statement, so a row is held by one claimant only; publishes an {@link EscalationDue} per row; waits for the broker's
 * acknowledgement of them all; then commits. If anything fails before the commit the rows were never deleted and a
 * later batch fires them again; the command id is derived from task and fence, so the processor applies a
 * re-published one only once.
 * <p>
 * <b>Batches in flight</b> (ADR 0077). With {@code inFlight} above 1 a batch's wait for the broker and its commit run
 * on a thread of the ticker's own while the caller goes on: {@link #tickAndNext} returns as soon as the batch's
 * commands are sent, so the next due timers are claimed (past the rows the batch still holds) without waiting a broker
 * round trip and a commit. At most {@code inFlight} batches are open at once, each on its own connection; a batch that
 * fails in flight makes the next {@link #tickAndNext} throw (its rows fire again). With {@code inFlight} 1 every batch
 * is finished before the call returns.
 */
public final class TimerTicker {

    /** Where fired timers go: sends them all at once; the answer waits for the broker's acknowledgement of every one. */
    @FunctionalInterface
    public interface CommandSender {
        Acks send(List<TaskCommand> commands);
    }

    private final Jdbc jdbc;
    private final TimerStore store;
    private final CommandSender sender;
    private final InstantSource clock;
    private final int batchSize;
    private final Consumer<Duration> lateness;
    private final int inFlight;
    private final Semaphore open;
    private final ExecutorService finishing;
    /** A batch that failed after its claim was handed back: thrown by the next {@link #tickAndNext}. */
    private final AtomicReference<RuntimeException> failedInFlight = new AtomicReference<>();
    private volatile Runnable finished = () -> { };

    /**
     * {@code lateness} hears, for each fired timer, how long after its due time the broker had the command;
     * {@code inFlight}: how many batches may await the broker at once (1: none beside the caller).
     */
    public TimerTicker(Jdbc jdbc, TimerStore store, CommandSender sender, InstantSource clock,
                       int batchSize, int inFlight, Consumer<Duration> lateness) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1: " + inFlight);
        }
        this.jdbc = jdbc;
        this.store = store;
        this.sender = sender;
        this.clock = clock;
        this.batchSize = batchSize;
        this.inFlight = inFlight;
        this.lateness = lateness;
        this.open = new Semaphore(inFlight);
        AtomicInteger n = new AtomicInteger();
        this.finishing = inFlight == 1 ? null : Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "escalation-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int batchSize() {
        return batchSize;
    }

    /** Told (on the finishing thread) each time a batch that fired timers is committed or has failed. */
    public void onFinished(Runnable listener) {
        this.finished = listener;
    }

    /**
     * What one tick did: timers fired (sent; committed later if batches are in flight), timers due at or before
     * {@code claimedAt} (application clock) were looked for, what was left ({@link Upcoming}), read at {@code asOf}.
     */
    public record Tick(int fired, Instant claimedAt, Upcoming upcoming, Instant asOf) {
    }

    /**
     * Fires up to one batch of due timers and waits until every batch is committed; returns how many it fired. Throws
     * when the database or the broker is unavailable, in which case the timers fire on a later tick.
     */
    public int tick() {
        int fired = tickAndNext().fired();
        drain();
        return fired;
    }

    /**
     * Fires up to one batch of due timers: one statement (claim, delete, what is left) and, once sent, one commit; an
     * idle tick is that statement and a commit. Returns once the batch is sent (with {@code inFlight} 1: committed);
     * throws if it could not be claimed or sent, or if an earlier batch failed in flight.
     */
    public Tick tickAndNext() {
        RuntimeException failed = failedInFlight.getAndSet(null);
        if (failed != null) {
            throw failed;
        }
        open.acquireUninterruptibly();
        Instant claimedAt = clock.instant();
        CompletableFuture<Claim> claimed = new CompletableFuture<>();
        Runnable batch = () -> batch(claimedAt, claimed);
        try {
            if (finishing == null) {
                batch.run();
            } else {
                finishing.execute(batch);
            }
        } catch (RuntimeException e) {
            open.release();
            throw e;
        }
        try {
            Claim c = claimed.join();
            if (finishing == null) { // finished already: a failure after the claim is this call's
                RuntimeException late = failedInFlight.getAndSet(null);
                if (late != null) {
                    throw late;
                }
            }
            return new Tick(c.due().size(), claimedAt, c.upcoming(), clock.instant());
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Waits until no batch is in flight (every one committed or rolled back). */
    public void drain() {
        open.acquireUninterruptibly(inFlight);
        open.release(inFlight);
    }

    /** One batch, start to end, in one transaction; {@code claimed} is completed as soon as its commands are sent. */
    private void batch(Instant claimedAt, CompletableFuture<Claim> claimed) {
        try {
            Fired fired = jdbc.transaction(c -> {
                Claim claim = store.claimDue(c, claimedAt, batchSize);
                if (claim.due().isEmpty()) {
                    claimed.complete(claim);
                    return null;
                }
                Acks acks = sender.send(claim.due().stream()
                        .map(t -> (TaskCommand) EscalationDue.of(t.taskId(), t.kind(), t.fence())).toList());
                claimed.complete(claim); // the next claim may go now
                acks.await();
                return new Fired(claim.due(), clock.instant());
            });
            if (fired != null) {
                fired.timers().forEach(t -> lateness.accept(Duration.between(t.dueAt(), fired.at())));
                finished.run();
            }
        } catch (RuntimeException | Error e) { // an Error too: the caller waits on claimed
            if (!claimed.completeExceptionally(e)) {
                failedInFlight.compareAndSet(null, e instanceof RuntimeException r ? r : new IllegalStateException(e));
                finished.run();
            }
        } finally {
            open.release();
        }
    }

    private record Fired(List<DueTimer> timers, Instant at) {
    }

}
