package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;

import org.pagerless.delivery.model.Channel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Delivery's measures, in Prometheus as {@code pagerless_delivery_attempts_total{channel}},
 * {@code pagerless_delivery_failures_total{channel,reason_class}} and
 * {@code pagerless_delivery_latency_seconds{channel}} (due → handed to the provider or the inbox; a histogram).
 * Tags are channel names and fixed reason classes only: never a number, a person or a patient.
 */
@ApplicationScoped
public class DeliveryMetrics {
    /** Why a delivery failed, coarsely: a fixed set, so the metric's cardinality stays small. */
    public enum ReasonClass {
        /** The channel is not configured. */
        NOT_CONFIGURED,
        /** No address for the person (no mobile number). */
        NO_ADDRESS,
        /** The person's mobile number is not confirmed (the code texted to it not entered). */
        NOT_CONFIRMED,
        /** The person turned the channel off (STOP). */
        OPTED_OUT,
        /** The provider refused it for good (a bad number...). */
        REJECTED,
        /** The provider could not be reached or failed; retried up to a bound. */
        UNREACHABLE;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    @Inject
    MeterRegistry registry;

    public void attempt(Channel channel) {
        registry.counter("pagerless.delivery.attempts", "channel", channel.code()).increment();
    }

    public void failure(Channel channel, ReasonClass reason) {
        registry.counter("pagerless.delivery.failures", "channel", channel.code(), "reason_class", reason.tag())
                .increment();
    }

    /** From when it was due to when it was handed over; never negative. */
    public void latency(Channel channel, Instant due, Instant handedOver) {
        Duration took = Duration.between(due, handedOver);
        Timer.builder("pagerless.delivery.latency").tag("channel", channel.code()).publishPercentileHistogram()
                .register(registry).record(took.isNegative() ? Duration.ZERO : took);
    }

    /** A step settled sent with no provider to wait for (in-app): attempted and handed over at {@code at}. */
    public void sentAt(Channel channel, Instant due, Instant at) {
        attempt(channel);
        latency(channel, due, at);
    }
}
