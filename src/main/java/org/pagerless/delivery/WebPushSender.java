package org.pagerless.delivery;

import java.net.URI;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.delivery.PushSubscriptions.PushSubscription;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Sends Web Push messages (RFC 8030) with VAPID (RFC 8292) and aes128gcm encryption (RFC 8291), over Vert.x's HTTP
 * client on the event loops, without blocking a thread per push (ADR 0094). Off (and said so once at start) unless the
 * VAPID key pair and subject are configured. Contract of {@link #sendAsync}: completing means the push service took the
 * message (201/202); {@link Gone} means the subscription is dead for good (404/410: retire it); {@link Rejected} means
 * this message never will be taken (another 4xx); any other exception means it may be attempted again (429, 5xx,
 * timeout). No retry here: retries are the outbox's, bounded and recorded (ADR 0007, 0011).
 */
@ApplicationScoped
public class WebPushSender {
    private static final Logger LOG = Logger.getLogger(WebPushSender.class);
    /** The circuit breaker around push services; open means they have been failing (see DeliveryHealth). */
    static final String CIRCUIT = "web-push";

    /** The VAPID public key: the uncompressed P-256 point, base64url (what browsers take as applicationServerKey). */
    @ConfigProperty(name = "pagerless.delivery.push.vapid-public-key")
    Optional<String> vapidPublicKey;
    /** The VAPID private key: the 32-byte P-256 scalar, base64url. A secret. */
    @ConfigProperty(name = "pagerless.delivery.push.vapid-private-key")
    Optional<String> vapidPrivateKey;
    /** Who push services contact about our traffic: {@code mailto:} or {@code https:}. */
    @ConfigProperty(name = "pagerless.delivery.push.vapid-subject")
    Optional<String> vapidSubject;
    /** How long one push service may take to answer. */
    @ConfigProperty(name = "pagerless.delivery.push.timeout", defaultValue = "10s")
    Duration timeout;
    /**
     * Push service origins a subscription endpoint may point at ({@code https://host}, or
     * {@code https://*.suffix}); anything else is refused at registration, so Pagerless never posts to
     * an address a user typed (an internal service, say).
     */
    @ConfigProperty(name = "pagerless.delivery.push.endpoint-origins")
    List<String> endpointOrigins;
    @Inject
    DeliverySettings settings;
    @Inject
    Vertx vertx;

    /**
     * Built by the start's key check once the keys are a pair (before the check completes, so whatever waited for it
     * sees the client): its TLS context reads the JDK's trust store (~0.1 s of the start's main thread if it were made
     * there), and a pod without Web Push never needs it. HTTP/1.1 with keep-alive, one pool of connections per push
     * service; the JDK's trust store and host name check for {@code https} endpoints, as the JDK's own client had.
     */
    private volatile HttpClient http;
    private ChannelGuard guard;
    private final java.util.Map<String, Token> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The VAPID pair once checked (null: the channel is off). The check runs on a thread of its own at start (issue
     * 13, ADR 0074): a first P-256 signature makes the JDK build its table of generator multiples (on Java 25 ~0.1-0.3 s
     * of CPU, on the start's critical path before), and no start step waits for Web Push. Whatever asks whether the
     * channel is on (readiness, a push, the key endpoint) waits for the check, so none sees it off while it runs.
     */
    private volatile CompletableFuture<KeyPair> vapidCheck = CompletableFuture.completedFuture(null);

    /** The subscription is gone (404/410): never push to it again. */
    public static class Gone extends RuntimeException {
        public Gone(String reason) {
            super(reason);
        }
    }

    /** The push service refused this message for good (400, 401, 403, 413...); the reason is its status. */
    public static class Rejected extends RuntimeException {
        public Rejected(String reason) {
            super(reason);
        }
    }

    @jakarta.annotation.PostConstruct
    void guarded() {
        guard = new ChannelGuard("Web Push", this::enabled, CIRCUIT, WebPushSender.class.getName() + ".send", null,
                List.of(Gone.class, Rejected.class));
    }

    /** Before the dispatcher's lanes start, as {@link TwilioSms#onStart}: a push claimed earlier failed "not configured". */
    void onStart(@Observes @jakarta.annotation.Priority(TwilioSms.STARTS) StartupEvent start) {
        if (vapidPublicKey.isEmpty() || vapidPrivateKey.isEmpty() || vapidSubject.isEmpty()) {
            LOG.info("Web Push channel disabled: pagerless.delivery.push.vapid-public-key, vapid-private-key and "
                    + "vapid-subject are not all set");
            return;
        }
        vapidCheck = CompletableFuture.supplyAsync(this::channelReady, task -> {
            Thread checking = new Thread(task, "web-push-key-check");
            checking.setDaemon(true);
            checking.start();
        });
    }

    /** The checked pair ({@link #checkedKeys}) and, if there is one, the HTTP client pushes go out on. */
    private KeyPair channelReady() {
        KeyPair keys = checkedKeys();
        if (keys != null) {
            http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true)
                    .setVerifyHost(true).setDecompressionSupported(false).setName("web-push"),
                    new PoolOptions().setHttp1MaxSize(settings.pushesInFlight()));
        }
        return keys;
    }

    /** The configured VAPID pair if it reads and is a pair (one signature made and verified), else null, said once. */
    private KeyPair checkedKeys() {
        try {
            KeyPair keys = WebPushCrypto.keyPair(WebPushCrypto.fromBase64Url(vapidPublicKey.get()),
                    WebPushCrypto.fromBase64Url(vapidPrivateKey.get()));
            Signature check = Signature.getInstance("SHA256withECDSAinP1363Format");
            check.initSign(keys.getPrivate());
            check.update(new byte[] {1});
            byte[] signature = check.sign();
            check.initVerify(keys.getPublic());
            check.update(new byte[] {1});
            if (!check.verify(signature)) {
                LOG.error("Web Push channel disabled: the VAPID public and private keys are not a pair");
                return null;
            }
            LOG.info("Web Push channel enabled");
            return keys;
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            LOG.errorf("Web Push channel disabled: the VAPID keys cannot be read (%s)", e.getMessage());
            return null;
        } catch (RuntimeException e) {
            LOG.errorf("Web Push channel disabled: the VAPID key check failed (%s)", e.toString());
            return null;
        }
    }

    /** The checked VAPID pair, waiting for the start's check if it is still running; null when the channel is off. */
    private KeyPair vapid() {
        return vapidCheck.join();
    }

    public boolean enabled() {
        return vapid() != null;
    }

    /** The key browsers subscribe with, when the channel is on. */
    public Optional<String> publicKey() {
        return enabled() ? vapidPublicKey.map(String::trim) : Optional.empty();
    }

    /**
     * Whether an endpoint points at an allowed push service (see {@code endpoint-origins}): that scheme and host,
     * the default port unless the origin names one, and no user info. Anything else could make every push of a
     * pod wait on a slow or hostile server.
     */
    public boolean allowedEndpoint(URI endpoint) {
        return allowedEndpoint(endpoint, endpointOrigins);
    }

    static boolean allowedEndpoint(URI endpoint, List<String> endpointOrigins) {
        if (endpoint.getScheme() == null || endpoint.getHost() == null || endpoint.getRawUserInfo() != null) {
            return false;
        }
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        for (String origin : endpointOrigins) {
            String o = origin.trim().toLowerCase(Locale.ROOT);
            int sep = o.indexOf("://");
            if (sep < 0 || !o.substring(0, sep).equals(scheme)) {
                continue;
            }
            String allowed = o.substring(sep + 3);
            // An origin without a port allows the scheme's default port only; "host:*" any port (tests' fake).
            String allowedPort = null;
            int colon = allowed.lastIndexOf(':');
            if (colon > 0) {
                allowedPort = allowed.substring(colon + 1);
                allowed = allowed.substring(0, colon);
            }
            boolean portOk = allowedPort == null
                    ? endpoint.getPort() == -1 || endpoint.getPort() == ("https".equals(scheme) ? 443 : 80)
                    : allowedPort.equals("*") || allowedPort.equals(Integer.toString(endpoint.getPort()));
            if (portOk && (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed))) {
                return true;
            }
        }
        return false;
    }

    /** The guard every push goes through (configured, circuit breaker); see {@link ChannelGuard}. */
    ChannelGuard guard() {
        return guard;
    }

    /**
     * Encrypts {@code payload} for the subscription and posts it without blocking; the push service keeps it at most
     * {@code ttl} (the time left before the page expires: a stale page is worse than none). Completes normally when the
     * push service took it; exceptionally as the class comment says. Completes on a Vert.x event loop: what follows
     * must not block (a gone subscription's retirement is {@link PushDispatch}'s, on its own threads).
     */
    public CompletionStage<Void> sendAsync(PushSubscription subscription, byte[] payload, Duration ttl, String urgency,
                                           String topic, Instant now) {
        return guard.callAsync(() -> post(subscription, payload, ttl, urgency, topic, now));
    }

    /** {@link #sendAsync} without the guard: encrypts, posts, and reads the answer. */
    CompletableFuture<Void> post(PushSubscription subscription, byte[] payload, Duration ttl, String urgency,
                                 String topic, Instant now) {
        URI endpoint = URI.create(subscription.endpoint());
        byte[] body = WebPushCrypto.encrypt(payload, WebPushCrypto.fromBase64Url(subscription.p256dh()),
                WebPushCrypto.fromBase64Url(subscription.auth()));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(subscription.endpoint()).setFollowRedirects(false)
                .putHeader("TTL", Long.toString(Math.max(0, ttl.toSeconds())))
                .putHeader("Urgency", urgency)
                .putHeader("Topic", topic)
                .putHeader("Content-Encoding", "aes128gcm")
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Authorization",
                        authorization(endpoint.getScheme() + "://" + endpoint.getRawAuthority(), now));
        // Completed directly with our own exceptions (never wrapped), so the circuit breaker sees which they are.
        CompletableFuture<Void> answer = new CompletableFuture<>();
        AtomicBoolean late = new AtomicBoolean();
        http.request(request).compose(exchange -> {
            // The whole exchange, from a connection in hand to the answer read, within the timeout.
            long deadline = vertx.setTimer(timeout.toMillis(), fired -> {
                late.set(true);
                exchange.reset();
            });
            return exchange.send(Buffer.buffer(body))
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .onComplete(answered -> vertx.cancelTimer(deadline));
        }).onComplete(result -> {
            if (result.failed()) {
                answer.completeExceptionally(new IllegalStateException("push service unreachable: " + (late.get()
                        ? "no answer within " + timeout.toMillis() + " ms" : unreachable(result.cause()))));
                return;
            }
            int status = result.result();
            if (status == 201 || status == 202) {
                answer.complete(null);
            } else if (status == 404 || status == 410) {
                answer.completeExceptionally(
                        new Gone("push service answered " + status + ": subscription gone"));
            } else if (status >= 400 && status < 500 && status != 429) {
                answer.completeExceptionally(new Rejected("push service answered " + status));
            } else {
                answer.completeExceptionally(new IllegalStateException("push service answered " + status));
            }
        });
        return answer;
    }

    /** Why a push service could not be reached, as the outbox records it: the JDK's name for a refused connection. */
    private static String unreachable(Throwable cause) {
        return cause instanceof java.net.ConnectException ? "ConnectException" : cause.getClass().getSimpleName();
    }

    /**
     * The VAPID {@code Authorization} header for a push service origin: signed once and reused for up to an hour by
     * the app clock (RFC 8292 lets a token be reused until it expires), valid 12 h from signing: inside the 24 h push
     * services allow, whatever our clock skew. One ES256 signature per push service an hour instead of one per push.
     */
    private String authorization(String audience, Instant now) {
        Token t = tokens.get(audience);
        if (t == null || now.isBefore(t.signedAt()) || !now.isBefore(t.signedAt().plus(Duration.ofHours(1)))) {
            t = new Token(WebPushCrypto.vapidAuthorization(audience, vapidSubject.get(), now.plus(Duration.ofHours(12)),
                    vapid()), now);
            tokens.put(audience, t);
        }
        return t.header();
    }

    private record Token(String header, Instant signedAt) {
    }
}
