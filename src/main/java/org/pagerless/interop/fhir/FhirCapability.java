package org.pagerless.interop.fhir;

import java.util.Date;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * What {@code /fhir} does, as {@code GET /fhir/metadata} says it: exactly the interactions and search parameters
 * {@link FhirResource} serves, nothing more (FhirFlowTest holds the two together).
 */
final class FhirCapability {
    /** Task search parameters, each as {@link FhirResource#searchTasks} reads it. */
    static final String[][] TASK_SEARCH = {
        {"status", "token", "http://hl7.org/fhir/SearchParameter/Task-status", "requested (also while offered), accepted, in-progress, completed, cancelled, failed; comma for any of several"},
        {"owner", "reference", "http://hl7.org/fhir/SearchParameter/Task-owner", "Practitioner/<staff id> who accepted it"},
        {"requester", "reference", "http://hl7.org/fhir/SearchParameter/Task-requester", "Practitioner/<staff id> or Device/<system id> who raised it"},
        {"patient", "reference", "http://hl7.org/fhir/SearchParameter/Task-patient", "only with the :identifier modifier: patient:identifier=https://fhir.nhs.uk/Id/nhs-number|<NHS number>"},
        {"priority", "token", "http://hl7.org/fhir/SearchParameter/Task-priority", "routine, urgent, asap or stat"},
        {"ward", "token", null, "the ward of Task.location, by id or name (e.g. 7B)"},
        {"_lastUpdated", "date", "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated", "with a prefix: gt, ge, lt or le; repeat for a range"},
        {"_count", "number", null, "page size, 1 to 200 (default 50); the Bundle links next and previous pages"},
    };

    private FhirCapability() {
    }

    static CapabilityStatement statement(String baseUrl, Date published) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(PublicationStatus.ACTIVE);
        cs.setDate(published);
        cs.setKind(CapabilityStatementKind.INSTANCE);
        cs.setPublisher("Pagerless");
        cs.getSoftware().setName("Pagerless");
        cs.getImplementation().setDescription("Pagerless FHIR R4 API: raise, track and act on clinical tasks and bleeps")
                .setUrl(baseUrl);
        cs.setFhirVersion(FHIRVersion._4_0_1);
        cs.addFormat("json");
        cs.addFormat("xml");
        CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.getSecurity().setCors(false).addService(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/restful-security-service", "Basic", "Basic")))
                .setDescription("HTTP Basic in standalone mode, OIDC bearer tokens in production; the same roles as "
                        + "the REST API. Hospital systems (integration role) may act for a member of staff by naming "
                        + "them in an X-Provenance header.");
        CapabilityStatementRestResourceComponent task = rest.addResource().setType("Task")
                .setProfile("http://hl7.org/fhir/StructureDefinition/Task")
                .setVersioning(ResourceVersionPolicy.VERSIONED)
                .setReadHistory(false).setUpdateCreate(false).setConditionalCreate(false)
                .setDocumentation("Create raises a task (202 Accepted with Location while it is routed; "
                        + "Task.identifier makes a retried create raise it once). Update changes only the status: "
                        + "accepted, rejected (statusReason required), in-progress, completed (note optional) or "
                        + "cancelled, with the REST API's rules (403 not yours, 409 someone was first). Read "
                        + "carries the whole timeline as contained Provenance in relevantHistory.");
        task.addInteraction().setCode(TypeRestfulInteraction.CREATE);
        task.addInteraction().setCode(TypeRestfulInteraction.READ);
        task.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
        task.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
        for (String[] p : TASK_SEARCH) {
            var param = task.addSearchParam().setName(p[0]).setType(SearchParamType.fromCode(p[1]))
                    .setDocumentation(p[3]);
            if (p[2] != null) {
                param.setDefinition(p[2]);
            }
        }
        CapabilityStatementRestResourceComponent bleep = rest.addResource().setType("CommunicationRequest")
                .setProfile("http://hl7.org/fhir/StructureDefinition/CommunicationRequest")
                .setDocumentation("Create sends a bleep (202 Accepted with the Location of the Task that tracks it): "
                        + "recipient PractitionerRole/<role>, Practitioner/<staff id> or a bleep number identifier ("
                        + FhirTasks.BLEEP_SYSTEM + "); the first payload contentString is the message; the "
                        + FhirCommunication.CALLBACK_EXTENSION + " extension (valueString) the number to call back.");
        bleep.addInteraction().setCode(TypeRestfulInteraction.CREATE);
        CapabilityStatementRestResourceComponent onCall = rest.addResource().setType("PractitionerRole")
                .setProfile("http://hl7.org/fhir/StructureDefinition/PractitionerRole")
                .setDocumentation("Search only: who holds a role, or covers a ward, now or at date=; the role's "
                        + "bleep is a pager telecom.");
        onCall.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
        onCall.addSearchParam().setName("role").setType(SearchParamType.TOKEN)
                .setDefinition("http://hl7.org/fhir/SearchParameter/PractitionerRole-role")
                .setDocumentation("a role's id or name");
        onCall.addSearchParam().setName("ward").setType(SearchParamType.TOKEN)
                .setDocumentation("a ward (id or name): the holders of its covering roles");
        onCall.addSearchParam().setName("date").setType(SearchParamType.DATE)
                .setDefinition("http://hl7.org/fhir/SearchParameter/PractitionerRole-date")
                .setDocumentation("an instant (default now)");
        CapabilityStatementRestResourceComponent subscription = rest.addResource().setType("Subscription")
                .setProfile("http://hl7.org/fhir/StructureDefinition/Subscription")
                .setDocumentation("Hospital systems (integration role) and admins: create, read and delete their own "
                        + "rest-hook subscriptions. criteria Task or Task?<status|owner|requester|patient:identifier|"
                        + "priority|ward>; each change of a matching task is notified once, with retries and backoff "
                        + "(an empty POST to the endpoint, or with channel.payload the Task PUT to <endpoint>/Task/"
                        + "<id>), signed in the " + FhirSubscriptionSender.SIGNATURE_HEADER + " header with the secret "
                        + "given in the " + FhirSubscriptionResource.SECRET_EXTENSION + " extension (valueString).");
        subscription.addInteraction().setCode(TypeRestfulInteraction.CREATE);
        subscription.addInteraction().setCode(TypeRestfulInteraction.READ);
        subscription.addInteraction().setCode(TypeRestfulInteraction.DELETE);
        return cs;
    }
}
