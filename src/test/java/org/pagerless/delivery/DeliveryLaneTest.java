package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.pagerless.delivery.model.Channel;
import org.pagerless.platform.engine.EngineModule.Next;

/**
 * A lane whose channel is full must not lose the wake of the place freed while it looks: the classic lost wake
 * between "check room" and "sleep". The interleaving is made exact, without threads or sleeps: the send finishes
 * (frees its place) inside the lane's look at its room, after the look has counted it busy and before the lane has
 * said it waits (saturated).
 */
class DeliveryLaneTest {

    @Test
    void aPlaceFreedBetweenTheLookAndTheWaitIsNotLost() throws Exception {
        AtomicInteger wakes = new AtomicInteger();
        Bulkhead places = new Bulkhead("sms", 1, false, wakes::incrementAndGet);
        places.started(); // the one place is taken by a text in flight
        AtomicInteger looks = new AtomicInteger();
        DeliveryDispatcher.Channelled work = new DeliveryDispatcher.Channelled(places) {
            @Override
            public int room() {
                int room = super.room();
                if (looks.incrementAndGet() == 1) {
                    places.finished(); // the text completes now: the lane has not said it waits, so no one is woken
                }
                return room;
            }

            @Override
            public void claimed(DeliveryClaims.Claim claim, Instant now) {
                throw new AssertionError("nothing is claimed while the lane is full");
            }
        };
        DeliveryLane lane = new DeliveryLane(Channel.SMS, null, Duration.ofSeconds(60), Duration.ofSeconds(5), work);
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        lane.dueAt(now.minusSeconds(1)); // a text is due

        Next next = lane.tick(now);

        assertThat(wakes).as("the finished text saw no one waiting").hasValue(0);
        assertThat(next.in()).as("the lane looks again at once instead of sleeping its tick with a text due and a place free")
                .contains(Duration.ZERO);
    }

    @Test
    void aFullLaneWaitsForTheNextPlaceToBeFreedAndIsWokenByIt() throws Exception {
        AtomicInteger wakes = new AtomicInteger();
        Bulkhead places = new Bulkhead("sms", 1, false, wakes::incrementAndGet);
        places.started();
        DeliveryDispatcher.Channelled work = new DeliveryDispatcher.Channelled(places) {
            @Override
            public void claimed(DeliveryClaims.Claim claim, Instant now) {
                throw new AssertionError("nothing is claimed while the lane is full");
            }
        };
        DeliveryLane lane = new DeliveryLane(Channel.SMS, null, Duration.ofSeconds(60), Duration.ofSeconds(5), work);
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        lane.dueAt(now.minusSeconds(1));

        assertThat(lane.tick(now).in()).as("full: sleeps until a place is freed (at most a tick)").isEmpty();
        places.finished();
        assertThat(wakes).as("the freed place wakes the waiting lane").hasValue(1);
    }
}
