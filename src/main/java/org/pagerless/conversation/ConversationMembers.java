package org.pagerless.conversation;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.pagerless.conversation.model.Conversation;
import org.pagerless.conversation.model.Membership;
import org.pagerless.escalation.EscalationDirectory;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;

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
        return Optional.ofNullable(findAll(List.of(id)).get(id));
    }

    /**
     * As {@link #find(UUID)} for several at once (the writer's batch): the stored ones in one query (none for those
     * already known), and the threads of tasks that have had no line yet in one more.
     */
    public Map<UUID, Conversation> findAll(Collection<UUID> ids) {
        return findAll(ids, new HashMap<>());
    }

    /**
     * As {@link #findAll(Collection)}, keeping in {@code peopleRead} the people of each task thread it had to read (one
     * not stored yet), so that {@link #taskMembersAt(Map, Map)} in the same batch does not read them again.
     */
    Map<UUID, Conversation> findAll(Collection<UUID> ids, Map<UUID, TaskQueries.People> peopleRead) {
        Map<UUID, Conversation> found = store.findAll(ids);
        List<UUID> rest = ids.stream().filter(id -> !found.containsKey(id)).distinct().toList();
        if (!rest.isEmpty()) {
            for (TaskQueries.People t : tasks.people(rest).values()) {
                peopleRead.put(t.taskId(), t);
                found.put(t.taskId(), thread(t));
            }
        }
        return found;
    }

    public Set<String> membersNow(Conversation c) {
        return membersAt(c, clock.instant());
    }

    public Set<String> membersAt(Conversation c, Instant at) {
        if (c.kind() != Conversation.Kind.TASK) {
            return Membership.membersAt(c, referenceData.hospital(), escalation.duties().nurseInChargeRoleByWard(), at);
        }
        return taskMembersAt(Map.of(c.taskId(), at)).getOrDefault(c.taskId(), Set.of());
    }

    /**
     * Who is in each of these tasks' threads at the instant given for it, in one query for them all (a task that does
     * not exist is absent): the task's people as {@link TaskQueries#people} reads them, then the nurse in charge of
     * its ward at that instant.
     */
    public Map<UUID, Set<String>> taskMembersAt(Map<UUID, Instant> taskIds) {
        return taskMembersAt(taskIds, Map.of());
    }

    /** As {@link #taskMembersAt(Map)}, reading only the tasks whose people {@code peopleRead} does not hold already. */
    Map<UUID, Set<String>> taskMembersAt(Map<UUID, Instant> taskIds, Map<UUID, TaskQueries.People> peopleRead) {
        Map<UUID, TaskQueries.People> read = new HashMap<>();
        List<UUID> unread = new ArrayList<>();
        for (UUID id : taskIds.keySet()) {
            TaskQueries.People known = peopleRead.get(id);
            if (known != null) {
                read.put(id, known);
            } else {
                unread.add(id);
            }
        }
        if (!unread.isEmpty()) {
            read.putAll(tasks.people(unread));
        }
        Map<UUID, Set<String>> members = new HashMap<>();
        for (TaskQueries.People task : read.values()) {
            Set<String> people = new LinkedHashSet<>(task.staff());
            escalation.duties().nurseInChargeRole(task.wardId()).ifPresent(role -> people.addAll(
                    referenceData.hospital().holdersOf(role, taskIds.get(task.taskId()))));
            members.put(task.taskId(), people);
        }
        return members;
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
        return Optional.ofNullable(patientsOfTasks(List.of(taskId)).get(taskId));
    }

    /** As {@link #patientOfTask} for several tasks in one query: those without a patient (or unknown) are absent. */
    public Map<UUID, PatientReadAudit.Subject> patientsOfTasks(Collection<UUID> taskIds) {
        Map<UUID, PatientReadAudit.Subject> patients = new HashMap<>();
        tasks.nhsNumbers(taskIds).forEach((id, nhs) -> patients.put(id, new PatientReadAudit.Subject(id, nhs.orElse(null))));
        return patients;
    }

    /** A task thread's name carries no patient: its type (or kind) and short reference. */
    private static Conversation thread(TaskQueries.People task) {
        return Conversation.taskThread(task.taskId(), title(task.taskId(), task.type(), task.kind()), task.raisedAt());
    }

    private static String title(UUID taskId, String type, String kind) {
        String what = type != null ? type : kind.charAt(0) + kind.substring(1).toLowerCase(Locale.ROOT);
        return what + " · " + taskId.toString().substring(0, 6).toUpperCase(Locale.ROOT);
    }
}
