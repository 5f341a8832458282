package org.pagerless.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.pagerless.delivery.model.Channel;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * When a channel's rows fall due, as this pod learns it: the outbox writer's new rows, a row put back to
 * {@code pending} (a retry's backoff, a text held for its number's window, a reconciled row), and the outbox watch's
 * look at rows other pods wrote. Each channel's {@link DeliveryLane} listens to its own channel only, so a lane is woken
 * for its own rows and otherwise sleeps until its earliest due time, without asking the database.
 */
@ApplicationScoped
public class DeliveryDue {
    /** What a lane does when told a row of its channel falls due at an instant. */
    interface Listener {
        void dueAt(Instant at);
    }

    private final Map<Channel, Listener> listeners = new ConcurrentHashMap<>();

    void listen(Channel channel, Listener lane) {
        listeners.put(channel, lane);
    }

    /** A row of {@code channel} falls due at {@code at} (perhaps now). */
    public void at(Channel channel, Instant at) {
        Listener l = listeners.get(channel);
        if (l != null && at != null) {
            l.dueAt(at);
        }
    }

    /** Rows of several channels fall due, each channel's earliest given. */
    public void at(Map<Channel, Instant> earliest) {
        earliest.forEach(this::at);
    }
}
