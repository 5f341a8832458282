package org.pagerless.conversation;

import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.Membership;
import org.pagerless.escalation.EscalationDirectory;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who is in a conversation now, and so may read all of it and post. A task's thread has the task's people: its
 * requester, everyone it was ever offered to, its owner and the nurse in charge of its ward now; every other
 * conversation follows the rota (see {@link Membership}). The ward's nurse-in-charge role is read from the escalation
 * duties (ADR 0029).
 */
@ApplicationScoped
public class ConversationMembers {
    @Inject
    ConversationStore store;
    @Inject
    ReferenceData referenceData;
    @Inject
    EscalationDirectory escalation;
    @Inject
    TaskQueries tasks;
    @Inject
    InstantSource clock;

    /** The conversation with this id: a stored one, or the thread of a task that has had no line yet. */
    public Optional<Conversation> find(UUID id) {
        return store.find(id).or(() -> tasks.find(id).map(t -> Conversation.taskThread(t.id(), titleOf(t), t.raisedAt())));
    }

    public Set<String> membersNow(Conversation c) {
        return membersAt(c, clock.instant());
    }

    public Set<String> membersAt(Conversation c, Instant at) {
        if (c.kind() != Conversation.Kind.TASK) {
            return Membership.membersAt(c, referenceData.hospital(), escalation.duties().nurseInChargeRoleByWard(), at);
        }
        return tasks.find(c.taskId()).map(t -> taskPeople(t, at)).orElse(Set.of());
    }

    /** Whether {@code staffId} is in the conversation now (a task thread also asks the task, which sees every offer). */
    public boolean isMember(Conversation c, String staffId) {
        if (c.kind() == Conversation.Kind.TASK) {
            return tasks.involved(c.taskId(), staffId) || membersNow(c).contains(staffId);
        }
        return membersNow(c).contains(staffId);
    }

    /**
     * The patient a task thread is about, for the read audit (a task thread's messages are read in the patient's
     * context, like the task); empty for other conversations and tasks without a patient.
     */
    public Optional<PatientReadAudit.Subject> patientOf(Conversation c) {
        return c.kind() == Conversation.Kind.TASK ? patientOfTask(c.taskId()) : Optional.empty();
    }

    /** The patient of this task, if it has one (as {@link #patientOf} for its thread). */
    public Optional<PatientReadAudit.Subject> patientOfTask(UUID taskId) {
        return tasks.find(taskId).filter(t -> t.details() != null && t.details().patient() != null)
                .map(t -> new PatientReadAudit.Subject(t.id(), t.details().patient().nhsNumber()));
    }

    /** A task thread's name carries no patient: its type (or kind) and short reference. */
    public static String titleOf(Task task) {
        String what = task.details() != null && task.details().type() != null ? task.details().type()
                : task.kind().name().charAt(0) + task.kind().name().substring(1).toLowerCase(Locale.ROOT);
        return what + " · " + task.id().toString().substring(0, 6).toUpperCase(Locale.ROOT);
    }

    private Set<String> taskPeople(Task task, Instant at) {
        Set<String> people = new LinkedHashSet<>();
        if (task.requester() != null) {
            people.add(task.requester());
        }
        for (TaskEvent e : tasks.timeline(task.id())) {
            if (e instanceof TaskEvent.TaskOffered offered) {
                people.addAll(offered.offeredTo());
            } else if (e instanceof TaskEvent.TaskReassigned reassigned) {
                people.addAll(reassigned.offeredTo());
            } else if (e instanceof TaskEvent.TaskHandedOver handedOver) {
                people.addAll(handedOver.toStaff());
            } else if (e instanceof TaskEvent.BroadcastRealerted realerted) {
                people.addAll(realerted.offeredTo());
            }
        }
        people.addAll(task.offeredTo());
        if (task.owner() != null) {
            people.add(task.owner());
        }
        String ward = task.details() == null ? null : task.details().wardId();
        escalation.duties().nurseInChargeRole(ward)
                .ifPresent(role -> people.addAll(referenceData.hospital().holdersOf(role, at)));
        return people;
    }
}
