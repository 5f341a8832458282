package org.pagerless.board;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;
import org.pagerless.identity.Caller;
import org.pagerless.platform.LivePush;
import org.pagerless.task.TaskCodec;

import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The live connections open on this pod, and who is behind each; fans task events out to them. */
@ApplicationScoped
public class LiveSessions {
    private static final Logger LOG = Logger.getLogger(LiveSessions.class);

    private record Session(Caller caller, WebSocketConnection connection) {
    }

    private final Map<String, Session> open = new ConcurrentHashMap<>();

    void add(Caller caller, WebSocketConnection connection) {
        open.put(connection.id(), new Session(caller, connection));
    }

    void remove(WebSocketConnection connection) {
        open.remove(connection.id());
    }

    /** Another feature's live message (a conversation's new message) to the people it names. */
    void onPush(@Observes LivePush push) {
        for (Session session : open.values()) {
            if (push.to().contains(session.caller().staffId())) {
                send(session, push.json());
            }
        }
    }

    /**
     * Tells every supervisor's page on this pod that something not carried by a task event changed for a task (an
     * alert claimed or resolved): {@code {"type": ..., "taskId": ...}}. Pages on other pods see it on their next poll.
     */
    void nudge(java.util.UUID taskId, String type) {
        String json = "{\"type\":\"" + type + "\",\"taskId\":\"" + taskId + "\"}";
        for (Session session : open.values()) {
            if (session.caller().isSupervisor()) {
                send(session, json);
            }
        }
    }

    void onEvent(@Observes TaskCodec.Published published) {
        for (Session session : open.values()) {
            if (session.caller().isSupervisor() || published.audience().contains(session.caller().staffId())) {
                send(session, published.json());
            }
        }
    }

    private static void send(Session session, String json) {
        session.connection().sendText(json).subscribe().with(
                ok -> { },
                failure -> LOG.debugf("live push to a closed connection dropped: %s", failure.getClass().getSimpleName()));
    }
}
