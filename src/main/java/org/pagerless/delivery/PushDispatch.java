package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.PushSubscriptions.PushSubscription;
import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.MessagePush;
import org.pagerless.delivery.model.PushMessage;
import org.pagerless.platform.Failures;
import org.pagerless.rota.ReferenceData;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sends the pushes the push lane claimed (ADR 0011), without a thread per push: the claim is checked (still needed,
 * read with the claim; the people's live subscriptions, one query), each push is encrypted on one of a few sealing
 * threads and posted without blocking ({@link WebPushSender#sendAsync}), and outcomes are recorded together, in one
 * transaction per batch, by the lane's next pass.
 * <p>
 * Pushes to every live subscription of the person; sent if any push service took it. A subscription answered
 * 404/410 is retired on the spot; when none took it the step fails (the ladder's next step still comes), or, if a
 * push service failed transiently, is retried with the outbox's bounded backoff. A person with no live subscription
 * skips the step. A retried push is never reconciled: it carries {@code Topic} = the notification id, so the push
 * service replaces an undelivered copy, and the service worker shows it with {@code tag} = the notification id,
 * replacing rather than stacking.
 */
@ApplicationScoped
public class PushDispatch {
    private static final Logger LOG = Logger.getLogger(PushDispatch.class);
    /** Why a push step is skipped for a person with no live subscription: nowhere to send it. */
    static final String NO_SUBSCRIPTION = "no live push subscription: step skipped";

    @Inject
    DeliveryClaims claims;
    @Inject
    StillNeeded stillNeeded;
    @Inject
    WebPushSender push;
    @Inject
    PushSubscriptions subscriptions;
    @Inject
    ReferenceData referenceData;
    @Inject
    DeliverySettings settings;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    ObjectMapper json;
    @Inject
    InstantSource clock;

    /** A push service took it: nothing to record but that. */
    private static final CompletableFuture<String> TAKEN = CompletableFuture.completedFuture(null);

    /** Outcomes of sends that have completed, for the lane's next pass to record. */
    private final Queue<Outcome> finished = new ConcurrentLinkedQueue<>();

    /**
     * The threads that encrypt each push and hand it to the HTTP client (0.13-0.35 ms of CPU a push, warm: an ECDH key
     * pair and agreement, RFC 8291, ADR 0065): one per core, at least two, so the push lane's thread only claims,
     * checks and records, and a claim's pushes are sealed in parallel rather than one after another on the lane (ADR
     * 0046). FIFO, so a claim's stat rows (first in the claim) are sealed first; never more queued than the lane has
     * places.
     */
    private ExecutorService sealing;

    /** Built once, for the bean itself (a field initialiser would also run for its client proxy). */
    @jakarta.annotation.PostConstruct
    void start() {
        sealing = sealingThreads(Math.max(2, Runtime.getRuntime().availableProcessors()));
        sealing.execute(WebPushCrypto::warmUp); // P-256 tables made off the start path, before the first push
    }

    private static ExecutorService sealingThreads(int n) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "delivery-push-seal-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The stop that settles a push step due the moment it is planned, as {@link #dispatch} would settle its claim a few
     * milliseconds later: {@code failed} when the push channel is not configured ({@code refusal}), {@code withdrawn}
     * when the person has no live subscription; empty when it may go (ADR 0078).
     */
    static Optional<Settlement> stop(Optional<String> refusal, boolean subscribed) {
        if (refusal.isPresent()) {
            return Optional.of(Settlement.failed(refusal.get(), null, ReasonClass.NOT_CONFIGURED));
        }
        return subscribed ? Optional.empty()
                : Optional.of(Settlement.withdrawn(NO_SUBSCRIPTION));
    }

    /**
     * Decides and starts the sends of one claim; rows that need no send are recorded at once (one transaction). Each
     * send takes a place in {@code places} until its push services have answered; then its outcome is queued and
     * {@code done} runs (the lane wakes to record it).
     */
    void dispatch(DeliveryClaims.Claim claim, Instant now, Bulkhead places, Runnable done) throws SQLException {
        List<Delivery> claimed = claim.rows();
        Map<UUID, String> unneeded = stillNeeded.whyNot(claimed, claim, now);
        Optional<String> refused = push.guard().refusal();
        List<Outcome> settled = new ArrayList<>();
        List<Delivery> going = new ArrayList<>();
        for (Delivery d : claimed) {
            if (unneeded.containsKey(d.id())) {
                settled.add(Outcome.withdrawn(d, unneeded.get(d.id())));
            } else {
                going.add(d);
            }
        }
        Map<String, List<PushSubscription>> live = going.isEmpty() || refused.isPresent() ? Map.of()
                : subscriptions.liveOf(going.stream().map(Delivery::staffId).toList());
        for (Delivery d : going) {
            List<PushSubscription> to = live.getOrDefault(d.staffId(), List.of());
            // The decision planning makes for a push due at once (ADR 0078), made here for the rest.
            Optional<Settlement> stop = stop(refused, !to.isEmpty());
            if (stop.isPresent()) {
                settled.add(stop.get().outcome(d, metrics));
                continue;
            }
            places.started();
            try {
                // Encrypted and posted on a sealing thread, in claim order (stat first): the lane is free to claim again.
                sealing.execute(() -> sent(d, to, now).whenComplete((outcome, e) -> {
                    finished.add(outcome != null ? outcome : Outcome.retryOrGiveUp(d, d.attempts() + 1,
                            Failures.describe(e), null, null, settings, clock.instant()));
                    places.finished();
                    done.run();
                }));
            } catch (RuntimeException | LinkageError e) {
                places.finished();
                settled.add(Outcome.retryOrGiveUp(d, d.attempts() + 1, Failures.describe(e), null, null, settings, now));
            }
        }
        claims.finishAll(settled, now);
    }

    /** {@link #send}, with a failure before the post (encoding, encryption) as a failed outcome, never thrown. */
    private CompletableFuture<Outcome> sent(Delivery d, List<PushSubscription> live, Instant now) {
        try {
            return send(d, live, now);
        } catch (RuntimeException | LinkageError e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Lets the sealing threads finish what they were given (each post is bounded by its own timeout), then stops them. */
    void stop() {
        sealing.shutdown();
        try {
            sealing.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the outcomes of the sends completed since the last call, in one transaction. */
    void recordFinished() throws SQLException {
        List<Outcome> batch = new ArrayList<>();
        for (Outcome o = finished.poll(); o != null; o = finished.poll()) {
            batch.add(o);
        }
        if (batch.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        try {
            claims.finishAll(batch, now);
        } catch (SQLException | RuntimeException e) {
            // Left in sending: claimed again after the deadline and pushed again (Topic replaces an undelivered copy).
            LOG.warnf("%d push outcomes could not be recorded (%s); claimed again after the sending deadline",
                    batch.size(), Failures.describe(e));
            throw e;
        }
        for (Outcome o : batch) {
            if (o.status() == DeliveryStatus.SENT) {
                metrics.latency(Channel.PUSH, o.d().dueAt(), now);
            }
        }
    }

    /** One delivery to each of the person's live subscriptions; completes with its outcome once all have answered. */
    private CompletableFuture<Outcome> send(Delivery d, List<PushSubscription> live, Instant now) {
        int attempt = d.attempts() + 1;
        Object message;
        String urgency;
        String topic;
        if (d.isMessage()) {
            MessagePush m = MessagePush.of(d.id(), d.notificationId(), d.conversationId(), d.title(),
                    Notification.MENTION.equals(d.kind()));
            message = m;
            urgency = m.urgency();
            topic = m.topic();
        } else {
            PushMessage m = PushMessage.of(d.id(), d.notificationId(), d.priority(), d.fyi(), d.kind(),
                    referenceData.wardName(d.wardId()), d.ref(), d.callback());
            message = m;
            urgency = m.urgency();
            topic = m.topic();
        }
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Duration ttl = Duration.between(now, d.expiresAt());
        String address = live.stream().map(s -> s.id().toString()).collect(Collectors.joining(","));
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (PushSubscription s : live) {
            metrics.attempt(Channel.PUSH);
            // Each answer: null = taken; "!reason" = permanent; "~reason" = transient. The answer comes on an event
            // loop: a failure is read on a sealing thread (a gone subscription is retired in the database).
            answers.add(push.sendAsync(s, payload, ttl, urgency, topic, now).toCompletableFuture()
                    .handle((ok, failure) -> failure)
                    .thenCompose(failure -> failure == null ? TAKEN
                            : CompletableFuture.supplyAsync(() -> failed(s, failure), sealing)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all -> {
            int sent = 0;
            String permanent = null;
            String transientFailure = null;
            for (CompletableFuture<String> a : answers) {
                String answer = a.join();
                if (answer == null) {
                    sent++;
                } else if (answer.startsWith("!")) {
                    permanent = answer.substring(1);
                } else {
                    transientFailure = answer.substring(1);
                }
            }
            if (sent > 0) {
                return new Outcome(d, DeliveryStatus.SENT, null, address, attempt, d.dueAt(), null);
            }
            if (transientFailure == null) {
                return new Outcome(d, DeliveryStatus.FAILED, permanent, address, attempt, d.dueAt(), null);
            }
            return Outcome.retryOrGiveUp(d, attempt, transientFailure, address, null, settings, clock.instant());
        });
    }

    /** Why one subscription did not take it, counted: "!" permanent (a gone subscription is retired), "~" transient. */
    private String failed(PushSubscription s, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof WebPushSender.Gone) {
            metrics.failure(Channel.PUSH, ReasonClass.NO_ADDRESS);
            try {
                subscriptions.retire(s.id(), e.getMessage(), clock.instant());
            } catch (RuntimeException again) {
                LOG.warnf("push subscription %s: gone, but could not be retired (%s)", s.id(), Failures.describe(again));
            }
            return "!" + e.getMessage() + ", retired";
        }
        if (e instanceof WebPushSender.Rejected || e instanceof ChannelGuard.NotConfigured) {
            metrics.failure(Channel.PUSH, ReasonClass.REJECTED);
            return "!" + e.getMessage();
        }
        metrics.failure(Channel.PUSH, ReasonClass.UNREACHABLE);
        return "~" + Failures.describe(e);
    }
}
