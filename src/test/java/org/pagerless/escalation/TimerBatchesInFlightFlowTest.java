package org.pagerless.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagerless.escalation.EscalationFlowTest.SHO;
import static org.pagerless.escalation.EscalationFlowTest.SWITCHBOARD;
import static org.pagerless.escalation.EscalationFlowTest.awaitLevel;
import static org.pagerless.escalation.EscalationFlowTest.timerOf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Jdbc;
import org.pagerless.platform.Kafka;
import org.pagerless.platform.Topics;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.Tasks;
import org.pagerless.support.TestClock;
import org.pagerless.task.CommandGateway;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * ADR 0077: a batch of fired timers awaits the broker beside the ticker, which meanwhile claims the next due timers;
 * a batch that fails in flight leaves its rows, says so on the next tick, and is fired again, once.
 */
@QuarkusTest
class TimerBatchesInFlightFlowTest extends FlowTest {

    @Inject
    TestClock clock;
    @Inject
    EscalationTicker live;
    @Inject
    Jdbc jdbc;
    @Inject
    TimerStore store;
    @Inject
    CommandGateway gateway;

    @AfterEach
    void backToNow() {
        live.start();
        clock.reset();
    }

    @Test
    void theNextDueTimerIsClaimedWhileABatchAwaitsTheBroker() throws Exception {
        live.stop();
        String first = SWITCHBOARD.bleepRole(SHO, "stat");
        Tasks.awaitStatus(first, "offered");
        clock.advance(Duration.ofSeconds(1));
        String second = SWITCHBOARD.bleepRole(SHO, "stat");
        Tasks.awaitStatus(second, "offered");
        long secondFence = timerOf(second).orElseThrow().fence();
        clock.advance(Duration.ofMinutes(2));

        // The first batch's acknowledgement is held back until the test lets it go.
        CountDownLatch brokerAnswers = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean(true);
        TimerTicker ticker = new TimerTicker(jdbc, store, commands -> {
            CommandGateway.Acks acks = gateway.sendAll(commands);
            if (!held.getAndSet(false)) {
                return acks;
            }
            return () -> {
                await(brokerAnswers);
                acks.await();
            };
        }, clock, 1, 2, late -> { });

        assertThat(ticker.tickAndNext().fired()).isEqualTo(1); // the first task's timer: sent, awaiting the broker
        assertThat(ticker.tickAndNext().fired()).isEqualTo(1); // the second's, claimed past the row the first holds
        // The second batch is committed while the first still waits: its row (that fence) is gone.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> timerOf(second).map(EscalationFlowTest.Timer::fence).orElse(-1L) != secondFence);
        assertThat(brokerAnswers.getCount()).isEqualTo(1);

        brokerAnswers.countDown();
        ticker.drain();
        awaitLevel(first, 2);
        awaitLevel(second, 2);
        assertThat(firings(first, second)).containsOnly(Map.entry(first, 1L), Map.entry(second, 1L));
    }

    @Test
    void aBatchThatFailsInFlightIsReportedAndFiredAgainOnce() throws Exception {
        live.stop();
        String id = SWITCHBOARD.bleepRole(SHO, "stat");
        Tasks.awaitStatus(id, "offered");
        long fence = timerOf(id).orElseThrow().fence();
        clock.advance(Duration.ofMinutes(2));

        // The broker does not take the first batch (nothing reaches it); later batches go through.
        AtomicBoolean refused = new AtomicBoolean(true);
        TimerTicker ticker = new TimerTicker(jdbc, store, commands -> refused.getAndSet(false)
                ? () -> {
                    throw new Kafka.BrokerUnavailable(new IllegalStateException("refused by the test"));
                }
                : gateway.sendAll(commands), clock, 500, 2, late -> { });

        assertThat(ticker.tickAndNext().fired()).isEqualTo(1);
        ticker.drain();
        assertThat(timerOf(id).map(EscalationFlowTest.Timer::fence)).contains(fence); // rolled back: still armed
        assertThatThrownBy(ticker::tickAndNext).isInstanceOf(Kafka.BrokerUnavailable.class)
                .hasRootCauseMessage("refused by the test");

        assertThat(ticker.tickAndNext().fired()).isEqualTo(1);
        ticker.drain();
        awaitLevel(id, 2);
        assertThat(firings(id)).containsOnly(Map.entry(id, 1L));
    }

    private static Map<String, Long> firings(String... ids) {
        List<String> wanted = List.of(ids);
        return Broker.readAllCommands().stream()
                .filter(r -> wanted.contains(r.key()) && r.value().contains("\"type\":\"EscalationDue\""))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the broker answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
