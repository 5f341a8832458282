package org.pagerless.delivery;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.util.TypeLiteral;

/**
 * The one guard every provider call of a channel (Web Push, Twilio SMS, Twilio voice) goes through: is the channel
 * configured, is its circuit breaker closed, and (for blocking calls) a timeout. Each sender makes one and calls its
 * provider only through it; the dispatcher asks {@link #refusal()} once per claimed batch. The breaker is SmallRye
 * Fault Tolerance's (programmatic API): named {@code circuit}, so {@link DeliveryHealth} and tests see it through
 * {@code CircuitBreakerMaintenance}, and exported as {@code ft_circuitbreaker_*} with {@code method} = {@code method},
 * the name the annotated methods it replaces had. It opens when 3 of the last 4 calls failed and tries again after
 * 30 s; answers that say "never" ({@code permanent}: a rejected message, a gone subscription) are not failures.
 * How many sends of a channel run at once is its {@link Bulkhead} in the dispatcher.
 */
final class ChannelGuard {
    private final String channel;
    private final BooleanSupplier configured;
    private final Guard guard;

    /** The channel is not configured: nothing was sent, nor will be until it is. */
    static final class NotConfigured extends RuntimeException {
        NotConfigured(String reason) {
            super(reason);
        }
    }

    /**
     * @param channel   what the channel is called in reasons ("SMS", "Web Push", "voice")
     * @param timeout   the bound on a blocking call; null for calls that complete asynchronously with their own timeout
     * @param permanent exceptions that are the provider's "no" rather than a failure of the provider
     */
    ChannelGuard(String channel, BooleanSupplier configured, String circuit, String method, Duration timeout,
                 List<Class<? extends Throwable>> permanent) {
        this.channel = channel;
        this.configured = configured;
        List<Class<? extends Throwable>> skip = new java.util.ArrayList<>(permanent);
        skip.add(NotConfigured.class);
        Guard.Builder builder = Guard.create().withDescription(method)
                .withCircuitBreaker().name(circuit).requestVolumeThreshold(4).failureRatio(0.75)
                .delay(30, ChronoUnit.SECONDS).skipOn(skip).done();
        if (timeout != null) {
            builder = builder.withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done();
        }
        this.guard = builder.withThreadOffload(false).build();
    }

    boolean enabled() {
        return configured.getAsBoolean();
    }

    /** Why nothing can be sent on this channel now (not configured), or empty. */
    Optional<String> refusal() {
        return enabled() ? Optional.empty() : Optional.of(channel + " channel is not configured");
    }

    /** A blocking provider call, guarded. */
    <T> T call(Supplier<T> send, Class<T> type) {
        refusal().ifPresent(why -> {
            throw new NotConfigured(why);
        });
        return guard.get(send, type);
    }

    /** A provider call that completes asynchronously, guarded: its failed completion counts against the breaker. */
    <T> CompletionStage<T> callAsync(Supplier<CompletionStage<T>> send) {
        Optional<String> refused = refusal();
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(new NotConfigured(refused.get()));
        }
        try {
            return guard.get(send, new TypeLiteral<CompletionStage<T>>() {
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
