package org.pagerless.board;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.pagerless.identity.Caller;

import io.micrometer.core.instrument.Counter;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open live feed and what is on its way to it. Messages from any thread (the task-event feed, the conversation
 * feed, a request's nudge) join one queue and are handed to the connection in that order by whichever thread finds
 * it idle, so no sender waits for another or for the client. The session either receives every message in order or
 * is closed so the app reloads over REST (it does on every reconnection): when a write fails, when a message cannot
 * go (its read of a patient could not be audited), or when more than {@code maxUnwritten} messages are waiting to
 * reach a client that is not keeping up. After that nothing more is sent
 * to it, so an app never shows a later change with an earlier one silently missing.
 */
final class LiveSession {
    private static final Logger LOG = Logger.getLogger(LiveSession.class);
    /** Told to the app when its feed is closed for falling behind or a failed write: reconnect and reload. */
    static final CloseReason RESYNC = new CloseReason(1013, "missed live messages: reload");

    /** The counters every session shares (registered once by {@link LiveSessions}). */
    record Outcomes(Counter sent, Counter failed, Counter behind, Counter unaudited, Counter abandoned) {
    }

    final Caller caller;
    final WebSocketConnection connection;
    final String clientAddress;
    final String userAgent;
    private final Outcomes outcomes;
    private final int maxUnwritten;
    private final Queue<String> waiting = new ConcurrentLinkedQueue<>();
    /** Messages accepted and not yet written to the socket: in {@link #waiting} or in the connection's buffer. */
    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean closing;

    LiveSession(Caller caller, WebSocketConnection connection, Outcomes outcomes, int maxUnwritten) {
        this.caller = caller;
        this.connection = connection;
        this.clientAddress = connection.handshakeRequest().remoteAddress();
        this.userAgent = connection.handshakeRequest().header("User-Agent");
        this.outcomes = outcomes;
        this.maxUnwritten = maxUnwritten;
    }

    /** Queues {@code json} behind everything sent to this session before it; never waits for the client. */
    void send(String json) {
        if (closing) {
            outcomes.abandoned().increment();
            return;
        }
        if (unwritten.incrementAndGet() > maxUnwritten) {
            unwritten.decrementAndGet();
            outcomes.behind().increment();
            resync("more than " + maxUnwritten + " messages waiting for a client that is not reading");
            return;
        }
        waiting.add(json);
        drain();
    }

    /**
     * A message for this session that cannot go (its patient read could not be audited): the session would silently
     * miss it, so it is told to reload instead, and gets nothing more.
     */
    void unsent(String why) {
        outcomes.unaudited().increment();
        resync("a message could not go: " + why);
    }

    /** Hands the waiting messages to the connection in order, one thread at a time; returns at once if another is. */
    private void drain() {
        while (!waiting.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                String next;
                while (!closing && (next = waiting.poll()) != null) {
                    write(next);
                }
            } finally {
                draining.set(false);
            }
            if (closing) {
                abandonWaiting();
                return;
            }
        }
    }

    private void write(String json) {
        connection.sendText(json).subscribe().with(ok -> {
            unwritten.decrementAndGet();
            outcomes.sent().increment();
        }, failure -> {
            unwritten.decrementAndGet();
            outcomes.failed().increment();
            resync("a write failed (" + failure.getClass().getSimpleName() + ")");
        });
    }

    /**
     * Sends nothing more to this session and closes it with {@link #RESYNC}: the app reconnects and reloads. Logged at
     * warn unless the client had already gone (no patient data: the connection id and why).
     */
    private void resync(String why) {
        if (closing) {
            return;
        }
        closing = true;
        abandonWaiting();
        if (connection.isClosed()) {
            LOG.debugf("live feed %s already closed: %s", connection.id(), why);
            return;
        }
        LOG.warnf("live feed %s closed so the app reloads: %s", connection.id(), why);
        connection.close(RESYNC).subscribe().with(ok -> { }, failure -> { });
    }

    private void abandonWaiting() {
        if (!draining.compareAndSet(false, true)) {
            return; // the draining thread sees closing and abandons them itself
        }
        try {
            while (waiting.poll() != null) {
                unwritten.decrementAndGet();
                outcomes.abandoned().increment();
            }
        } finally {
            draining.set(false);
        }
    }
}
