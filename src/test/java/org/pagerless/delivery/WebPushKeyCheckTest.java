package org.pagerless.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/**
 * The VAPID pair is checked on a thread of its own at start (ADR 0074), and whoever asks whether Web Push is on —
 * readiness, a push, the key endpoint — gets the check's answer, never a "not yet": on as soon as the start-up
 * observer returns when the keys are a pair, off (without an exception) when they are not or do not read.
 */
class WebPushKeyCheckTest {
    private static final String PUBLIC = TestPushSenders.PUBLIC;
    private static final String PRIVATE = TestPushSenders.PRIVATE;

    /** The event loops a pair's HTTP client is made on, as Quarkus gives the bean its own. */
    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void closeVertx() {
        VERTX.close().toCompletionStage().toCompletableFuture().join();
    }

    private static WebPushSender started(String publicKey, String privateKey) {
        return TestPushSenders.started(VERTX, publicKey, privateKey, java.time.Duration.ofSeconds(10));
    }

    @Test
    void aPairIsOnAsSoonAsTheStartGoesOnAndItsPublicKeyIsOffered() {
        WebPushSender sender = started(PUBLIC, PRIVATE);
        assertTrue(sender.enabled());
        assertEquals(Optional.of(PUBLIC), sender.publicKey());
    }

    @Test
    void keysThatAreNotAPairTurnTheChannelOff() {
        KeyPair other = WebPushCrypto.newKeyPair();
        String otherPrivate = WebPushCrypto.base64Url(WebPushCrypto.rawPrivate((ECPrivateKey) other.getPrivate()));
        WebPushSender sender = started(PUBLIC, otherPrivate);
        assertFalse(sender.enabled());
        assertEquals(Optional.empty(), sender.publicKey());
    }

    @Test
    void keysThatDoNotReadOrAreMissingTurnTheChannelOff() {
        assertFalse(started("not-a-key", PRIVATE).enabled());
        assertFalse(started(null, PRIVATE).enabled());
    }
}
