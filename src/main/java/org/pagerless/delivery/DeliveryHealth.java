package org.pagerless.delivery;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Delivery's readiness. Down only if its consumers have stopped (no page would be planned or
 * written). Twilio being unreachable degrades rather than fails: pages still reach the app, so the
 * pod stays in service and the check says {@code sms: circuit-open}; {@code sms: disabled} when not configured.
 * Web Push ({@code push}) and calls ({@code voice}) likewise.
 */
@Readiness
@ApplicationScoped
public class DeliveryHealth implements HealthCheck {
    @Inject
    DeliveryPlanner planner;
    @Inject
    OutboxWriter writer;
    @Inject
    TwilioSms sms;
    @Inject
    WebPushSender push;
    @Inject
    TwilioVoice voice;
    @Inject
    CircuitBreakerMaintenance circuits;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Delivery").status(planner.isConsuming() && writer.isConsuming())
                .withData("sms", state(sms.enabled(), TwilioSms.CIRCUIT))
                .withData("push", state(push.enabled(), WebPushSender.CIRCUIT))
                .withData("voice", state(voice.enabled(), TwilioVoice.CIRCUIT)).build();
    }

    private String state(boolean enabled, String circuit) {
        return !enabled ? "disabled"
                : switch (circuits.currentState(circuit)) {
                    case OPEN -> "circuit-open";
                    case HALF_OPEN -> "circuit-half-open";
                    default -> "ok";
                };
    }
}
