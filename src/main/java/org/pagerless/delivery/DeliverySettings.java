package org.pagerless.delivery;

import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.delivery.model.Ladder;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/** Delivery's configuration: the fallback ladder per priority, expiry, retries. */
@ApplicationScoped
public class DeliverySettings {
    @ConfigProperty(name = "pagerless.delivery.ladder.stat", defaultValue = "in-app@0s,push@0s,sms@0s,voice@0s")
    String stat;
    @ConfigProperty(name = "pagerless.delivery.ladder.asap", defaultValue = "in-app@0s,push@0s,sms@60s,voice@3m")
    String asap;
    @ConfigProperty(name = "pagerless.delivery.ladder.urgent", defaultValue = "in-app@0s,push@0s,sms@2m")
    String urgent;
    @ConfigProperty(name = "pagerless.delivery.ladder.routine", defaultValue = "in-app@0s,push@0s")
    String routine;
    /** fyi never interrupts: in-app only, whatever its priority. */
    @ConfigProperty(name = "pagerless.delivery.ladder.fyi", defaultValue = "in-app@0s")
    String fyi;

    /** A step not sent within this long of its due time is withdrawn, never sent late. */
    @ConfigProperty(name = "pagerless.delivery.expire-after", defaultValue = "10m")
    Duration expireAfter;
    /** Twilio ValidityPeriod: the carrier drops a text it could not hand over within this. */
    @ConfigProperty(name = "pagerless.delivery.sms.validity", defaultValue = "120s")
    Duration smsValidity;
    /** Attempts per SMS or push step before it is recorded as failed (push: per step, across the person's browsers). */
    @ConfigProperty(name = "pagerless.delivery.sms.max-attempts", defaultValue = "3")
    int maxAttempts;
    /** First retry after this, doubling. */
    @ConfigProperty(name = "pagerless.delivery.sms.retry-backoff", defaultValue = "15s")
    Duration retryBackoff;
    /** A delivery left in sending this long (its pod died) is claimed again. */
    @ConfigProperty(name = "pagerless.delivery.sending-deadline", defaultValue = "60s")
    Duration sendingDeadline;
    /**
     * Pushes in flight at once: the push channel's bulkhead, and the most connections kept open to one push service
     * (each exchange holds one until its answer: ADR 0094).
     */
    @ConfigProperty(name = "pagerless.delivery.workers.push", defaultValue = "64")
    int pushesInFlight;

    private Map<String, Ladder> ladders;
    private Ladder fyiLadder;

    @PostConstruct
    void parse() {
        ladders = Map.of("stat", Ladder.parse(stat), "asap", Ladder.parse(asap), "urgent", Ladder.parse(urgent),
                "routine", Ladder.parse(routine));
        fyiLadder = Ladder.parse(fyi);
    }

    public Duration expireAfter() {
        return expireAfter;
    }

    public Duration smsValidity() {
        return smsValidity;
    }

    int pushesInFlight() {
        return pushesInFlight;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration sendingDeadline() {
        return sendingDeadline;
    }

    /**
     * A page's ladder by its priority; a new message in a conversation goes by Web Push alone, never by text or call
     * (that is what bleeps are for), and the live feed already has it in the open app.
     */
    public Ladder ladderFor(Notification n) {
        if (n.isMessage()) {
            return MESSAGE_LADDER;
        }
        return n.fyi() ? fyiLadder : ladders.getOrDefault(n.priority(), ladders.get("stat"));
    }

    static final Ladder MESSAGE_LADDER = Ladder.parse("push@0s");
}
