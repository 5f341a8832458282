package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pagerless.delivery.PushSubscriptions.PushSubscription;
import org.pagerless.support.FakePushService;
import org.pagerless.support.Ports;

import io.vertx.core.Vertx;

/**
 * What a push service's answer means to the sender (ADR 0094: Vert.x's HTTP client), against the fake push service,
 * which checks the VAPID token and decrypts as a browser does: 201 taken, 410 gone, another 4xx rejected, 5xx, a
 * refused connection and no answer within the timeout transient (the circuit breaker around it is {@link
 * ChannelGuard}'s, tested with the app).
 */
class WebPushSenderTest {
    private static Vertx vertx;
    private static FakePushService service;
    private static WebPushSender sender;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        service = new FakePushService();
        sender = TestPushSenders.started(vertx, TestPushSenders.PUBLIC, TestPushSenders.PRIVATE, Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static PushSubscription of(FakePushService.Subscription s) {
        return new PushSubscription(UUID.randomUUID(), "staff-1", s.endpoint(), s.p256dh(), s.auth(), "test",
                Instant.now(), null, null);
    }

    private static CompletableFuture<Void> push(FakePushService.Subscription s, String text) {
        return sender.post(of(s), text.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5), "high", "t1",
                Instant.now());
    }

    private static Throwable failureOf(CompletableFuture<Void> sent) {
        assertThatThrownBy(() -> sent.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return sent.handle((ok, e) -> e).join();
    }

    @Test
    void aTakenPushArrivesDecryptedWithItsHeaders() throws Exception {
        FakePushService.Subscription phone = service.subscribe();
        push(phone, "{\"ref\":\"T-1\"}").get(20, TimeUnit.SECONDS);
        assertThat(service.pushesTo(phone)).singleElement().satisfies(p -> {
            assertThat(p.payload()).isEqualTo("{\"ref\":\"T-1\"}");
            assertThat(p.urgency()).isEqualTo("high");
            assertThat(p.topic()).isEqualTo("t1");
            assertThat(p.ttl()).isEqualTo("300");
        });
    }

    @Test
    void eachAnswerIsReadAsTheContractSays() {
        FakePushService.Subscription gone = service.subscribe();
        service.answer(gone, 410);
        assertThat(failureOf(push(gone, "x"))).isInstanceOf(WebPushSender.Gone.class)
                .hasMessage("push service answered 410: subscription gone");
        FakePushService.Subscription tooBig = service.subscribe();
        service.answer(tooBig, 413);
        assertThat(failureOf(push(tooBig, "x"))).isInstanceOf(WebPushSender.Rejected.class)
                .hasMessage("push service answered 413");
        FakePushService.Subscription down = service.subscribe();
        service.answer(down, 503);
        assertThat(failureOf(push(down, "x"))).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("push service answered 503");
    }

    @Test
    void aPushServiceNobodyListensForIsUnreachableTransiently() throws Exception {
        int closed = Ports.free();
        FakePushService.Subscription phone = service.subscribe();
        PushSubscription nowhere = new PushSubscription(UUID.randomUUID(), "staff-1",
                "http://127.0.0.1:" + closed + "/push/gone-away", phone.p256dh(), phone.auth(), "test", Instant.now(),
                null, null);
        CompletableFuture<Void> sent = sender.post(nowhere, "x".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5),
                "high", "t1", Instant.now());
        assertThat(failureOf(sent)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("push service unreachable: ConnectException");
    }

    @Test
    void aPushServiceThatNeverAnswersFailsThePushTransientlyAtTheTimeout() throws Exception {
        FakePushService.Subscription stalled = service.subscribe();
        service.stall(stalled);
        try {
            assertThat(failureOf(push(stalled, "x"))).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("push service unreachable: no answer within 500 ms");
        } finally {
            service.release(stalled);
        }
        // The connection given up on is not reused for the next push: it is taken.
        FakePushService.Subscription next = service.subscribe();
        push(next, "after").get(20, TimeUnit.SECONDS);
        assertThat(service.pushesTo(next)).hasSize(1);
    }
}
