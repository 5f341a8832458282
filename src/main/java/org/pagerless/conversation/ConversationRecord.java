package org.pagerless.conversation;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.identity.PatientReadAudit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A task's conversation as it goes into the patient's record (the FHIR export in interop): every message, oldest
 * first, as it now reads, with who it went to. The feature's public API for this; nothing outside reads its tables.
 */
@ApplicationScoped
public class ConversationRecord {
    /** The most messages one export carries. */
    public static final int MAX_MESSAGES = 5000;

    @Inject
    ConversationMembers members;
    @Inject
    ConversationStore store;
    @Inject
    ConversationViews views;

    /** A task's thread: its messages (empty if nothing was said yet) and the patient it is about, if any. */
    public record TaskThread(Conversation conversation, List<Message> messages,
                             Optional<PatientReadAudit.Subject> patient) {
    }

    /** The thread of this task, if the task exists. */
    public Optional<TaskThread> taskThread(UUID taskId) {
        return members.find(taskId).filter(c -> c.kind() == Conversation.Kind.TASK)
                .map(c -> new TaskThread(c, store.messages(c.id(), null, null, MAX_MESSAGES), members.patientOf(c)));
    }

    /** Whether this person may read the whole thread (one of the task's people now, or was posted something). */
    public boolean mayRead(Conversation c, String staffId) {
        return members.isMember(c, staffId) || store.everReceived(c.id(), staffId);
    }

    public String nameOf(String staffId) {
        return views.nameOf(staffId);
    }

    /** "edited by Dr Raj Patel 14:05" or "deleted by Dr Raj Patel at 14:05", if the message was changed. */
    public Optional<String> change(Message m) {
        var view = views.message(m, java.util.Map.of(), List.of());
        return Optional.ofNullable(view.deleted() != null ? view.deleted() : view.edited());
    }
}
