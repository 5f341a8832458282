package org.pagerless.board;

import org.pagerless.identity.Caller;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Inject;

/**
 * The live feed an app keeps open: every task event that concerns the signed-in person (offered to
 * them, owned by them, requested by them) is pushed as it happens; supervisors receive every event.
 * Messages are the task-event envelopes: {@code {"type", "event", "task", "audience"}}.
 */
@WebSocket(path = "/api/v1/live")
@Authenticated
public class LiveSocket {

    @Inject
    LiveSessions sessions;
    @Inject
    SecurityIdentity identity;
    // The connection as a parameter, not injected: the injected one is a session-scoped proxy,
    // unusable from the feed's thread.
    @OnOpen
    void open(WebSocketConnection connection) {
        sessions.add(Caller.of(identity), connection);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        sessions.remove(connection);
    }
}
