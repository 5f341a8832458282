package org.pagerless.interop.fhir;

import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.To;
import org.pagerless.platform.InvalidRequest;

/**
 * A FHIR {@code CommunicationRequest} (IHE mACM's "report alert") as a bleep: the recipient is the role
 * ({@code PractitionerRole/<role id>}), the person ({@code Practitioner/<staff id>}) or a bleep number (an
 * identifier in {@link FhirTasks#BLEEP_SYSTEM}); the first text payload is the message; the number to call back
 * is the {@link #CALLBACK_EXTENSION} extension (FHIR has no element for it).
 */
public final class FhirCommunication {
    public static final String CALLBACK_EXTENSION = "https://pagerless.org/fhir/StructureDefinition/callback-number";

    private FhirCommunication() {
    }

    public static BleepRequest toRequest(CommunicationRequest request) {
        if (request.getRecipient().size() > 1) {
            throw new InvalidRequest("CommunicationRequest.recipient", "give one recipient: a role, person or bleep");
        }
        To to = request.hasRecipient() ? to(request.getRecipientFirstRep()) : null;
        Extension callback = request.getExtensionByUrl(CALLBACK_EXTENSION);
        String callbackNumber = callback == null || callback.getValue() == null ? null
                : callback.getValue().primitiveValue();
        String message = request.getPayload().stream().filter(p -> p.getContent() instanceof StringType)
                .map(p -> ((StringType) p.getContent()).getValue()).findFirst().orElse(null);
        String priority = request.hasPriority() ? request.getPriority().toCode() : null;
        return new BleepRequest(to, callbackNumber, message, priority, null);
    }

    private static To to(Reference recipient) {
        if (recipient.hasIdentifier()) {
            if (!FhirTasks.BLEEP_SYSTEM.equals(recipient.getIdentifier().getSystem())) {
                throw new InvalidRequest("CommunicationRequest.recipient.identifier.system",
                        "must be " + FhirTasks.BLEEP_SYSTEM + " (a bleep number)");
            }
            return new To(null, null, recipient.getIdentifier().getValue(), null);
        }
        String type = recipient.getReferenceElement().getResourceType();
        String id = recipient.getReferenceElement().getIdPart();
        if ("PractitionerRole".equals(type)) {
            return new To(id, null, null, null);
        }
        if ("Practitioner".equals(type)) {
            return new To(null, id, null, null);
        }
        throw new InvalidRequest("CommunicationRequest.recipient",
                "must reference a PractitionerRole (a role) or a Practitioner, or carry a bleep number identifier");
    }
}
