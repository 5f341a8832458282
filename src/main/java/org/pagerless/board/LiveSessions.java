package org.pagerless.board;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;
import org.pagerless.identity.Caller;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.LivePush;
import org.pagerless.task.TaskCodec;

import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The live connections open on this pod, and who is behind each; fans task events out to them. */
@ApplicationScoped
public class LiveSessions {
    private static final Logger LOG = Logger.getLogger(LiveSessions.class);

    private record Session(Caller caller, WebSocketConnection connection, String clientAddress, String userAgent) {
    }

    @Inject
    PatientReadAudit audit;

    private final Map<String, Session> open = new ConcurrentHashMap<>();

    void add(Caller caller, WebSocketConnection connection) {
        open.put(connection.id(), new Session(caller, connection, connection.handshakeRequest().remoteAddress(),
                connection.handshakeRequest().header("User-Agent")));
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
            if ((session.caller().isSupervisor() || published.audience().contains(session.caller().staffId()))
                    && audited(session, published)) {
                send(session, published.json());
            }
        }
    }

    /** A message carrying the patient is audited before it goes; if it cannot be, it does not go. */
    private boolean audited(Session session, TaskCodec.Published published) {
        var patient = published.patient(); // read without decoding the whole task
        if (patient == null) {
            return true;
        }
        try {
            audit.readLive(session.caller(), session.clientAddress(), session.userAgent(),
                    List.of(new PatientReadAudit.Subject(published.event().taskId(), patient.nhsNumber())));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("live message not sent: its read could not be audited (%s)", e.getClass().getSimpleName());
            return false;
        }
    }

    private static void send(Session session, String json) {
        session.connection().sendText(json).subscribe().with(
                ok -> { },
                failure -> LOG.debugf("live push to a closed connection dropped: %s", failure.getClass().getSimpleName()));
    }
}
