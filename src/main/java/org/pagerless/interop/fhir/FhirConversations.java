package org.pagerless.interop.fhir;

import java.util.Date;
import java.util.function.Function;

import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Communication.CommunicationStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.pagerless.conversation.ConversationRecord;
import org.pagerless.conversation.ConversationStore.Message;
import org.pagerless.conversation.ConversationViews;

/**
 * A task's conversation as FHIR R4 {@code Communication} resources for the patient's record: one per message, part
 * of the {@code Task}, about the patient (NHS number), sent by the author ({@code Practitioner/<staff id>}) to
 * everyone it was posted to, with its text (or its photo as an attachment). A deleted message is
 * {@code entered-in-error} with no payload; an edited one carries its current text and a note saying who edited it
 * and when (every version stays in Pagerless). System lines ("Accepted by …") are sent by no one.
 */
public final class FhirConversations {
    /** How a message is told apart from a line the system wrote, in {@code Communication.category.text}. */
    static final String MESSAGE = "Task thread message";
    static final String SYSTEM_LINE = "Task thread system line";

    private FhirConversations() {
    }

    public static Bundle toBundle(ConversationRecord.TaskThread thread, Function<String, String> nameOf,
                                  Function<Message, java.util.Optional<String>> change, String fhirBase,
                                  String appBase) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(thread.messages().size());
        bundle.addLink().setRelation("self").setUrl(fhirBase + "Communication?part-of=Task/" + thread.conversation().taskId());
        for (Message m : thread.messages()) {
            Communication c = toFhir(thread, m, nameOf, change, appBase);
            bundle.addEntry().setFullUrl(fhirBase + "Communication/" + m.id()).setResource(c)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    static Communication toFhir(ConversationRecord.TaskThread thread, Message m, Function<String, String> nameOf,
                                Function<Message, java.util.Optional<String>> change, String appBase) {
        Communication c = new Communication();
        c.setId(m.id().toString());
        c.setStatus(m.deleted() ? CommunicationStatus.ENTEREDINERROR : CommunicationStatus.COMPLETED);
        c.addPartOf(new Reference("Task/" + thread.conversation().taskId()));
        thread.patient().ifPresent(p -> c.setSubject(new Reference().setIdentifier(
                new Identifier().setSystem(FhirTasks.NHS_NUMBER).setValue(p.nhsNumber()))));
        c.addCategory(new CodeableConcept().setText("text".equals(m.kind()) ? MESSAGE : SYSTEM_LINE));
        c.setSent(Date.from(m.postedAt()));
        if (m.author() != null) {
            c.setSender(new Reference("Practitioner/" + m.author()).setDisplay(nameOf.apply(m.author())));
        }
        for (String to : m.audience()) {
            if (!to.equals(m.author())) {
                c.addRecipient(new Reference("Practitioner/" + to).setDisplay(nameOf.apply(to)));
            }
        }
        if (!m.deleted()) {
            if (m.body() != null && !m.body().isEmpty()) {
                c.addPayload().setContent(new org.hl7.fhir.r4.model.StringType(m.body()));
            }
            if (m.photoId() != null) {
                c.addPayload().setContent(new Attachment().setTitle("Photo")
                        .setUrl(appBase + ConversationViews.photoPath(m.conversationId(), m.photoId()).substring(1)));
            }
        }
        change.apply(m).ifPresent(words -> c.addNote(new Annotation().setText(words)
                .setTime(Date.from(m.change().at()))));
        return c;
    }
}
