package org.pagerless.delivery;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends text messages through the official Twilio SDK. Off (and said so once at start) unless the
 * account SID, auth token and sender number are configured. Contract of {@link #send}: a returned
 * sid means Twilio has the message; {@link Rejected} means it never will (do not retry); any other
 * exception means it may be attempted again. No retry here: a timed-out POST may still have been
 * taken, so retries are the outbox's, bounded and recorded (ADR 0007).
 */
@ApplicationScoped
public class TwilioSms {
    private static final Logger LOG = Logger.getLogger(TwilioSms.class);
    /** The circuit breaker around Twilio; open means Twilio has been failing (see DeliveryHealth). */
    static final String CIRCUIT = "twilio-sms";

    @ConfigProperty(name = "pagerless.twilio.account-sid")
    Optional<String> accountSid;
    @ConfigProperty(name = "pagerless.twilio.auth-token")
    Optional<String> authToken;
    @ConfigProperty(name = "pagerless.twilio.from")
    Optional<String> from;
    /** Where the SDK's https://*.twilio.com requests go instead (a proxy, or the fake in tests). */
    @ConfigProperty(name = "pagerless.twilio.base-url")
    Optional<String> baseUrl;
    /** The public URL Twilio reaches Pagerless at: status callbacks and signature checks use it. */
    @ConfigProperty(name = "pagerless.delivery.public-url")
    Optional<String> publicUrl;

    private volatile TwilioRestClient client;
    private ChannelGuard guard;

    @jakarta.annotation.PostConstruct
    void guarded() {
        guard = new ChannelGuard("SMS", this::enabled, CIRCUIT, TwilioSms.class.getName() + ".send",
                Duration.ofSeconds(15), java.util.List.of(Rejected.class));
    }

    /** Twilio refused the message for good (bad number, unsubscribed...); the reason is Twilio's. */
    public static class Rejected extends RuntimeException {
        public Rejected(String reason) {
            super(reason);
        }
    }

    void onStart(@Observes StartupEvent start) {
        if (accountSid.isEmpty() || authToken.isEmpty() || from.isEmpty()) {
            LOG.info("SMS channel disabled: pagerless.twilio.account-sid, auth-token and from are not all set");
            return;
        }
        TwilioRestClient.Builder builder = new TwilioRestClient.Builder(accountSid.get(), authToken.get());
        baseUrl.filter(u -> !u.isBlank()).ifPresent(u -> builder.httpClient(new TwilioBaseUrlClient(u)));
        client = builder.build();
        LOG.infof("SMS channel enabled%s", baseUrl.map(u -> " (API base URL overridden)").orElse(""));
    }

    public boolean enabled() {
        return client != null;
    }

    /** The auth token webhooks are signed with, if SMS is configured. */
    public Optional<String> authToken() {
        return enabled() ? authToken : Optional.empty();
    }

    /** The configured account's client, shared by the voice channel; null when Twilio is not configured. */
    TwilioRestClient client() {
        return client;
    }

    /** Pagerless's own number: texts and calls come from it. */
    String from() {
        return from.orElse(null);
    }

    public Optional<String> publicUrl() {
        return publicUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    /** How many of the newest texts to a number a reconciliation reads (three pages of Twilio's list). */
    static final int RECONCILE_LOOKBACK = 150;

    /**
     * The sid of a text Twilio already holds to {@code to}, created at or after {@code since} (Twilio's clock),
     * whose body names page reference {@code ref} and whose sid is not {@code excluded} (recorded on another of the
     * task's rows): what a send whose outcome we never learnt became. Read with the SDK's Message reader (To and
     * From filters, newest first, paged). Not by {@code DateSent}: a text still queued at Twilio has no date sent
     * yet, and it is exactly the one we must not send again. Throws if Twilio cannot be asked (then nothing may be
     * sent yet).
     */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Optional<String> findText(String to, java.time.Instant since, String ref, java.util.Set<String> excluded) {
        if (client == null) {
            return Optional.empty();
        }
        var texts = Message.reader().setTo(new PhoneNumber(to)).setFrom(new PhoneNumber(from.get())).setPageSize(50L)
                .limit(RECONCILE_LOOKBACK).read(client);
        for (Message m : texts) {
            if (m.getDirection() == Message.Direction.OUTBOUND_API && m.getDateCreated() != null
                    && !m.getDateCreated().toInstant().isBefore(since) && m.getBody() != null
                    && m.getBody().contains("ref " + ref) && !excluded.contains(m.getSid())) {
                return Optional.of(m.getSid());
            }
        }
        return Optional.empty();
    }

    /** Sends {@code body} to {@code to}; Twilio drops it unsent after {@code validity} (a stale page is worse than none). */
    public String send(String to, String body, Duration validity) {
        return guard.call(() -> create(to, body, validity), String.class);
    }

    /** The guard every text goes through (configured, circuit breaker, timeout); see {@link ChannelGuard}. */
    ChannelGuard guard() {
        return guard;
    }

    private String create(String to, String body, Duration validity) {
        var creator = Message.creator(new PhoneNumber(to), new PhoneNumber(from.get()), body)
                .setValidityPeriod((int) Math.max(1, Math.min(36000, validity.toSeconds())));
        publicUrl().ifPresent(u -> creator.setStatusCallback(u + TwilioWebhooks.STATUS_PATH));
        try {
            return creator.create(client).getSid();
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            if (status != null && status >= 400 && status < 500 && status != 429) {
                throw new Rejected("Twilio " + e.getCode() + ": " + e.getMessage());
            }
            throw e;
        }
    }
}
