package org.pagerless.interop.fhir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.identity.Caller;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.Ids;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineLoop;
import org.pagerless.platform.engine.EngineModule;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Hospital;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Sends FHIR Subscription notifications (R4 rest-hook) from the outbox {@link FhirSubscriptionFeed} fills: an engine
 * module on a thread of its own, so a slow or dead receiver holds up nothing else. Each tick claims the due rows,
 * sends them together and records each outcome: 2xx is delivered; anything else is tried again after a backoff
 * ({@code first-retry} doubling to {@code max-retry}) until {@code max-attempts}, all in the database. Without a
 * payload the notification is an empty POST to the endpoint; with one, the Task as it is now is PUT to
 * {@code <endpoint>/Task/<id>} (R4's rest-hook). Every notification is signed (see {@link #signature}) and carries
 * a notification id that is the same on every retry, so a receiver can drop a repeat. Never logs a body.
 */
@ApplicationScoped
public class FhirSubscriptionSender implements EngineModule {
    private static final Logger LOG = Logger.getLogger(FhirSubscriptionSender.class);
    public static final String SIGNATURE_HEADER = "X-Pagerless-Signature";
    public static final String NOTIFICATION_HEADER = "X-Pagerless-Notification-Id";
    public static final String EVENT_HEADER = "X-Pagerless-Event-Id";
    static final int BATCH = 50;

    @Inject
    FhirSubscriptions subscriptions;
    @Inject
    TaskQueries tasks;
    @Inject
    ReferenceData referenceData;
    @Inject
    Fhir fhir;
    @Inject
    PatientReadAudit audit;
    @Inject
    Engine engine;

    @ConfigProperty(name = "pagerless.interop.fhir.subscription.every", defaultValue = "10s")
    Duration every;
    @ConfigProperty(name = "pagerless.interop.fhir.subscription.first-retry", defaultValue = "10s")
    Duration firstRetry;
    @ConfigProperty(name = "pagerless.interop.fhir.subscription.max-retry", defaultValue = "30m")
    Duration maxRetry;
    @ConfigProperty(name = "pagerless.interop.fhir.subscription.max-attempts", defaultValue = "12")
    int maxAttempts;
    @ConfigProperty(name = "pagerless.interop.fhir.subscription.timeout", defaultValue = "10s")
    Duration timeout;
    @ConfigProperty(name = "pagerless.interop.fhir.subscription.keep", defaultValue = "7d")
    Duration keep;

    /**
     * Built at the first notification, on this loop's thread: built with the bean, it had a start's main thread set up
     * the JDK's TLS context and read its trust store (issue 13). Not a field initialiser, which would also run for the
     * bean's client proxy.
     */
    private HttpClient http;
    private EngineLoop loop;

    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return http;
    }

    void onStart(@Observes @Priority(48) StartupEvent start) {
        loop = engine.loop(this);
        loop.start();
    }

    /** Ticks now: notifications were just queued. */
    public void wake() {
        EngineLoop l = loop;
        if (l != null) {
            l.wake();
        }
    }

    @Override
    public String name() {
        return "fhir-subscriptions";
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public Next tick(Instant now) {
        // The lease outlasts the longest send, so a row is never sent by two pods at once.
        List<FhirSubscriptions.Due> due = subscriptions.claim(now, timeout.multipliedBy(3), BATCH);
        List<CompletableFuture<String>> sends = new ArrayList<>(due.size());
        for (FhirSubscriptions.Due d : due) {
            sends.add(send(d, now));
        }
        for (int i = 0; i < due.size(); i++) {
            FhirSubscriptions.Due d = due.get(i);
            String error;
            try {
                error = sends.get(i).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                error = "not sent: " + e.getClass().getSimpleName();
            }
            if (error == null) {
                subscriptions.delivered(d, now);
            } else {
                Instant retryAt = retryAt(d.attempt(), maxAttempts, firstRetry, maxRetry, now);
                subscriptions.failed(d, error, retryAt, now);
                LOG.infof("FHIR subscription %s: notification attempt %d failed (%s)%s", d.subscription().id(),
                        d.attempt(), error, retryAt == null ? "; given up" : "; will retry");
            }
        }
        subscriptions.prune(now.minus(keep), 1000);
        if (due.size() == BATCH) {
            return Next.atOnce();
        }
        Optional<Instant> next = subscriptions.nextDue();
        return next.map(at -> Next.at(at, now)).orElse(Next.regular());
    }

    /**
     * When to try again after the {@code attempt}-th failure: {@code first} doubling each time, at most {@code max}
     * apart; null once {@code maxAttempts} have failed (the notification is given up, the subscription shows why).
     */
    static Instant retryAt(int attempt, int maxAttempts, Duration first, Duration max, Instant now) {
        if (attempt >= maxAttempts) {
            return null;
        }
        Duration wait = first;
        for (int i = 1; i < attempt && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return now.plus(wait.compareTo(max) > 0 ? max : wait);
    }

    /** Sends one notification; completes with null when the receiver took it, else with why not (no body, ever). */
    private CompletableFuture<String> send(FhirSubscriptions.Due d, Instant now) {
        FhirSubscriptions.Stored s = d.subscription();
        try {
            String body = "";
            HttpRequest.Builder request;
            UUID notificationId = notificationId(s.id(), d.changeId());
            if (s.payload() == null) {
                request = HttpRequest.newBuilder(URI.create(s.endpoint())).POST(HttpRequest.BodyPublishers.noBody());
            } else {
                Optional<Task> task = tasks.find(d.taskId());
                if (task.isEmpty()) {
                    return CompletableFuture.completedFuture("the task is no longer stored");
                }
                Hospital hospital = referenceData.hospital();
                body = fhir.encode(FhirTasks.toFhir(task.get(), hospital, null), s.payload());
                request = HttpRequest.newBuilder(URI.create(stripSlash(s.endpoint()) + "/Task/" + d.taskId()))
                        .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .header("Content-Type", s.payload() + "; charset=utf-8");
                if (task.get().details().patient() != null) {
                    Caller system = new Caller(s.createdBy(), hospital.staff(s.createdBy())
                            .map(st -> st.appRole()).orElse(null));
                    audit.sentToSystem(system, "FHIR Subscription " + s.id(), URI.create(s.endpoint()).getHost(),
                            List.of(new PatientReadAudit.Subject(d.taskId(), task.get().details().patient().nhsNumber())));
                }
            }
            long t = now.getEpochSecond();
            request.timeout(timeout)
                    .header(NOTIFICATION_HEADER, notificationId.toString())
                    .header(EVENT_HEADER, d.eventId().toString())
                    .header(SIGNATURE_HEADER, "t=" + t + ",v1=" + signature(s.secret(), t, notificationId, body));
            for (String header : s.headers()) {
                int colon = header.indexOf(':');
                request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
            return http().sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode())
                    .exceptionally(e -> "not delivered: " + (e.getCause() == null ? e : e.getCause()).getClass()
                            .getSimpleName());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture("not sent: " + e.getClass().getSimpleName());
        }
    }

    /** The same on every retry of one notification: a receiver drops a repeat by it. */
    static UUID notificationId(UUID subscriptionId, UUID changeId) {
        return Ids.derived("fhir-notification", subscriptionId, changeId);
    }

    /**
     * The hex HMAC-SHA256, keyed by the subscription's secret, of {@code <t>.<notification id>.<body>} (the body is
     * empty for a notification without payload). Receivers recompute it and refuse a mismatch, and refuse an old
     * {@code t} to stop replays.
     */
    public static String signature(String secret, long t, UUID notificationId, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + notificationId + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
