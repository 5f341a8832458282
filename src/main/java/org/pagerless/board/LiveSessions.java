package org.pagerless.board;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.identity.Caller;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.platform.LivePush;
import org.pagerless.task.TaskCodec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The live connections open on this pod, and who is behind each; fans task events out to them. Each message is one
 * string for every session it goes to; each session sends in order or is told to reload ({@link LiveSession}).
 */
@ApplicationScoped
public class LiveSessions {
    private static final Logger LOG = Logger.getLogger(LiveSessions.class);

    @Inject
    PatientReadAudit audit;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "pagerless.live.max-unwritten", defaultValue = "5000")
    int maxUnwritten;

    private LiveSession.Outcomes outcomes;

    @PostConstruct
    void meters() {
        outcomes = new LiveSession.Outcomes(outcome("sent"), outcome("failed"), outcome("behind"), outcome("unaudited"),
                outcome("abandoned"));
    }

    private Counter outcome(String outcome) {
        return Counter.builder("pagerless.live.messages")
                .description("Live WebSocket messages by outcome: sent; failed (the write failed), behind (the session "
                        + "had too many waiting), unaudited (its patient read could not be audited) and abandoned (queued "
                        + "behind one of those) close the session so the app reloads")
                .tag("outcome", outcome).register(registry);
    }

    private final Map<String, LiveSession> open = new ConcurrentHashMap<>();
    /** The same sessions by the person behind them, so a message to 50 people looks up 50, not every session. */
    private final Map<String, Map<String, LiveSession>> byStaff = new ConcurrentHashMap<>();

    void add(Caller caller, WebSocketConnection connection) {
        LiveSession session = new LiveSession(caller, connection, outcomes, maxUnwritten);
        open.put(connection.id(), session);
        byStaff.computeIfAbsent(caller.staffId(), k -> new ConcurrentHashMap<>()).put(connection.id(), session);
    }

    void remove(WebSocketConnection connection) {
        LiveSession session = open.remove(connection.id());
        if (session != null) {
            byStaff.computeIfPresent(session.caller.staffId(), (k, mine) -> {
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
        PatientReadAudit.Subject subject = push.carriesPatient()
                ? new PatientReadAudit.Subject(push.patientTaskId(), push.nhsNumber()) : null;
        for (String staffId : push.to()) {
            Map<String, LiveSession> sessions = byStaff.get(staffId);
            if (sessions == null) {
                continue;
            }
            for (LiveSession session : sessions.values()) {
                if (subject == null || audited(session, subject)) {
                    session.send(push.json());
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
        for (LiveSession session : open.values()) {
            if (session.caller.isSupervisor()) {
                session.send(json);
            }
        }
    }

    /**
     * A task event to the sessions it concerns. The patient is read from the event once (at the first session told),
     * not once per session; the text sent is the record's, one string for all.
     */
    void onEvent(@Observes TaskCodec.Published published) {
        PatientReadAudit.Subject subject = null;
        boolean patientRead = false;
        for (LiveSession session : open.values()) {
            if (session.caller.isSupervisor() || published.audience().contains(session.caller.staffId())) {
                if (!patientRead) {
                    var patient = published.patient(); // read without decoding the whole task
                    subject = patient == null ? null
                            : new PatientReadAudit.Subject(published.event().taskId(), patient.nhsNumber());
                    patientRead = true;
                }
                if (subject == null || audited(session, subject)) {
                    session.send(published.json());
                }
            }
        }
    }

    /** A message carrying the patient is audited before it goes; if it cannot be, it does not go. */
    private boolean audited(LiveSession session, PatientReadAudit.Subject subject) {
        try {
            audit.readLive(session.caller, session.clientAddress, session.userAgent, List.of(subject));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("live message not sent: its read could not be audited (%s)", e.getClass().getSimpleName());
            session.unsent("its read could not be audited");
            return false;
        }
    }
}
