package org.pagerless.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.vertx.core.Vertx;

/**
 * A {@link WebPushSender} made outside the application, as its start makes it: the test profile's VAPID pair (or
 * others), the subject, the fake push service's origins, a few connections on the given event loops.
 */
final class TestPushSenders {
    /** The test profile's VAPID pair (application.properties, {@code %test}). */
    static final String PUBLIC = "BGv5uBF3pLFTGJeUiVT2X7kbbjjyu2UAPeYSbOlJJpdUdjh4hukvT85GXQuXptz8j1LsGNKn-uPERRJisAucocQ";
    static final String PRIVATE = "oS3HDZMJZSKWMBC_uOf2UIDxKUtCVgIkPfBL8slYl9s";

    private TestPushSenders() {
    }

    /** Started with these keys (null: not configured): its key check has run when this returns. */
    static WebPushSender started(Vertx vertx, String publicKey, String privateKey, Duration timeout) {
        WebPushSender sender = new WebPushSender();
        sender.vertx = vertx;
        sender.settings = new DeliverySettings();
        sender.settings.pushesInFlight = 4;
        sender.timeout = timeout;
        sender.vapidPublicKey = Optional.ofNullable(publicKey);
        sender.vapidPrivateKey = Optional.ofNullable(privateKey);
        sender.vapidSubject = Optional.of("mailto:pagerless-demo@example.org");
        sender.endpointOrigins = List.of("http://127.0.0.1:*");
        sender.onStart(null);
        return sender;
    }
}
