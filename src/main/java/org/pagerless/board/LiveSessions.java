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
    /** The same sessions by the person behind them, so a message to 50 people looks up 50, not every session. */
    private final Map<String, Map<String, Session>> byStaff = new ConcurrentHashMap<>();

    void add(Caller caller, WebSocketConnection connection) {
        Session session = new Session(caller, connection, connection.handshakeRequest().remoteAddress(),
                connection.handshakeRequest().header("User-Agent"));
        open.put(connection.id(), session);
        byStaff.computeIfAbsent(caller.staffId(), k -> new ConcurrentHashMap<>()).put(connection.id(), session);
    }

    void remove(WebSocketConnection connection) {
        Session session = open.remove(connection.id());
        if (session != null) {
            byStaff.computeIfPresent(session.caller().staffId(), (k, mine) -> {
                mine.remove(connection.id());
                return mine.isEmpty() ? null : mine;
            });
        }
    }

    /**
     * Another feature's live message (a conversation's new message) to the people it names: each of their sessions on
     * this pod, in one pass over the recipients. One carrying a task's patient is audited per delivery first.
     */
    void onPush(@Observes LivePush push) {
        for (String staffId : push.to()) {
            Map<String, Session> sessions = byStaff.get(staffId);
            if (sessions == null) {
                continue;
            }
            for (Session session : sessions.values()) {
                if (!push.carriesPatient() || audited(session, new PatientReadAudit.Subject(push.patientTaskId(), push.nhsNumber()))) {
                    send(session, push.json());
                }
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
        return patient == null || audited(session, new PatientReadAudit.Subject(published.event().taskId(), patient.nhsNumber()));
    }

    private boolean audited(Session session, PatientReadAudit.Subject subject) {
        try {
            audit.readLive(session.caller(), session.clientAddress(), session.userAgent(), List.of(subject));
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
