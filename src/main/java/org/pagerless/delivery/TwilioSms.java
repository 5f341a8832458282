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

    /** The start-up priority of the provider clients: before any consumer or the dispatcher ({@code @Priority(50)}). */
    static final int STARTS = 13;

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

    /**
     * Before the dispatcher's lanes start ({@code @Priority(50)}): a lane that claimed a due text or call before the
     * client was made failed it for good as "not configured" (the harness's restart after kill -9 failed 152 texts and
     * 124 calls that way, and 155 pushes on the push sender's same race).
     */
    void onStart(@Observes @jakarta.annotation.Priority(STARTS) StartupEvent start) {
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

    /** A text or call as Twilio's list shows it: its sid, when Twilio created it (its clock), a text's body. */
    record Listed(String sid, java.time.Instant created, String body) {
    }

    /** Twilio's list, read for a reconciliation, held more since the attempt than one reading may take: it cannot say. */
    static final class Unclear extends RuntimeException {
        Unclear(String reason) {
            super(reason);
        }
    }

    /** Records a reconciliation asks Twilio for per page of its list. */
    static final int RECONCILE_PAGE = 100;
    /** The most records one reconciliation reads before it gives up unclear (nothing sent; tried again later). */
    static final int RECONCILE_LIMIT = 5_000;

    /**
     * What Twilio lists, newest first, from {@code newestFirst} (the SDK's reader, which fetches page after page as it is
     * read), created at or after {@code since}: read until a whole page's worth of records in a row are older (the rest is
     * older still), never cut at a count — a text or call not read is not "not there" (issue 13: under load a number
     * got more than the 150 newest a reconciliation used to read, and a text Twilio had was sent again). More than
     * {@link #RECONCILE_LIMIT} read: {@link Unclear}. Records {@code listed} maps to null are skipped.
     */
    static <T> java.util.List<Listed> since(Iterable<T> newestFirst, java.time.Instant since,
                                            java.util.function.Function<T, Listed> listed) {
        java.util.List<Listed> out = new java.util.ArrayList<>();
        int read = 0;
        int older = 0;
        for (T item : newestFirst) {
            if (++read > RECONCILE_LIMIT) {
                throw new Unclear("more than " + RECONCILE_LIMIT + " records to the number in Twilio's list since the "
                        + "attempt: cannot tell whether Twilio has it");
            }
            Listed l = listed.apply(item);
            if (l != null && l.created() != null && !l.created().isBefore(since)) {
                out.add(l);
                older = 0;
            } else if (++older >= RECONCILE_PAGE) {
                break;
            }
        }
        return out;
    }

    /**
     * The texts Twilio holds to {@code to} from our number (sent by the API), created at or after {@code since}
     * (Twilio's clock), newest first: what a send whose outcome we never learnt may have become. Read with the SDK's
     * Message reader (To and From filters, paged; see {@link #since}). Not by {@code DateSent}: a text still queued at
     * Twilio has no date sent yet, and it is exactly the one we must not send again. Throws if Twilio cannot be asked
     * or cannot say (then nothing may be sent yet).
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public java.util.List<Listed> textsSince(String to, java.time.Instant since) {
        if (client == null) { // not "not there": the row waits, unsure (run 6: reconciled "not there" before start-up made it)
            throw new Unclear("SMS channel is not configured: Twilio cannot be asked");
        }
        var texts = Message.reader().setTo(new PhoneNumber(to)).setFrom(new PhoneNumber(from.get()))
                .setPageSize((long) RECONCILE_PAGE).read(client);
        return since(texts, since, m -> m.getDirection() != Message.Direction.OUTBOUND_API || m.getDateCreated() == null
                ? null : new Listed(m.getSid(), m.getDateCreated().toInstant(), m.getBody()));
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
