package org.pagerless.interop.fhir;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task.ParameterComponent;
import org.hl7.fhir.r4.model.Task.TaskIntent;
import org.hl7.fhir.r4.model.Task.TaskPriority;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.pagerless.identity.AppRoles;
import org.pagerless.intake.IntakeRequests.LocationIn;
import org.pagerless.intake.IntakeRequests.PatientIn;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.intake.IntakeRequests.To;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Staff;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskKind;

/**
 * A Pagerless task as a FHIR R4 {@code Task}, and a FHIR {@code Task} as a request to raise one. The mapping
 * table is in docs/integration.md; every element named there is read or written here and nowhere else.
 */
public final class FhirTasks {
    public static final String NHS_NUMBER = org.pagerless.intake.NhsNumber.SYSTEM;
    public static final String ROLE_SYSTEM = "https://pagerless.org/fhir/CodeSystem/role";
    public static final String BLEEP_SYSTEM = "https://pagerless.org/fhir/CodeSystem/bleep";
    public static final String TEAM_SYSTEM = "https://pagerless.org/fhir/CodeSystem/team";
    public static final String STATE_SYSTEM = "https://pagerless.org/fhir/CodeSystem/task-state";
    public static final String SNOMED = "http://snomed.info/sct";
    /** SNOMED CT: Royal College of Physicians National Early Warning Score 2 (NEWS2) total score. */
    public static final String NEWS2_CODE = "1104051000000101";
    public static final String BED = "bed";
    public static final String CALLBACK = "callback";

    private FhirTasks() {
    }

    /** Our lifecycle as {@code Task.status}: requested and offered are both "requested" (action is sought). */
    public static TaskStatus status(org.pagerless.task.model.TaskStatus status) {
        return switch (status) {
            case REQUESTED, OFFERED -> TaskStatus.REQUESTED;
            case ACCEPTED -> TaskStatus.ACCEPTED;
            case IN_PROGRESS -> TaskStatus.INPROGRESS;
            case COMPLETED -> TaskStatus.COMPLETED;
            case CANCELLED -> TaskStatus.CANCELLED;
            case FAILED -> TaskStatus.FAILED;
        };
    }

    /** The FHIR task for {@code t}; with {@code timeline}, each event as a contained {@code Provenance}. */
    public static org.hl7.fhir.r4.model.Task toFhir(Task t, Hospital hospital, List<TaskEvent> timeline) {
        var fhir = new org.hl7.fhir.r4.model.Task();
        fhir.setId(t.id().toString());
        fhir.getMeta().setLastUpdated(date(t.updatedAt())).setVersionId(Long.toString(t.version()));
        fhir.setStatus(status(t.status()));
        fhir.setIntent(TaskIntent.ORDER);
        fhir.setPriority(TaskPriority.fromCode(t.priority().code()));
        fhir.setBusinessStatus(new CodeableConcept(new Coding(STATE_SYSTEM, t.status().code(), null))
                .setText(businessStatus(t)));
        TaskDetails d = t.details();
        fhir.setCode(new CodeableConcept().setText(switch (t.kind()) {
            case TASK -> d.type();
            case BLEEP -> "Bleep";
            case BROADCAST -> "Broadcast";
        }));
        String description = t.kind() == TaskKind.TASK ? d.detail() : d.message();
        if (description != null) {
            fhir.setDescription(description);
        }
        if (d.patient() != null) {
            fhir.setFor(new Reference().setIdentifier(new Identifier().setSystem(NHS_NUMBER)
                    .setValue(d.patient().nhsNumber())).setDisplay(d.patient().name()));
        }
        fhir.setAuthoredOn(date(t.raisedAt()));
        fhir.setLastModified(date(t.updatedAt()));
        fhir.setRequester(person(t.requester(), hospital));
        fhir.addPerformerType(performerType(t.target(), hospital));
        if (t.owner() != null) {
            fhir.setOwner(person(t.owner(), hospital));
        }
        if (d.location() != null) {
            Optional<Ward> ward = hospital.ward(d.location().wardId());
            fhir.setLocation(new Reference("Location/" + d.location().wardId()).setDisplay(
                    ward.map(w -> "Ward " + w.name()).orElse(d.location().wardId())
                            + (d.location().bed() == null ? "" : ", bed " + d.location().bed())));
            if (d.location().bed() != null) {
                fhir.addInput(input(new CodeableConcept().setText(BED), new StringType(d.location().bed())));
            }
        }
        if (d.news2() != null) {
            fhir.addInput(input(new CodeableConcept(new Coding(SNOMED, NEWS2_CODE,
                    "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score"))
                    .setText("NEWS2"), new IntegerType(d.news2())));
        }
        if (d.callback() != null) {
            fhir.addInput(input(new CodeableConcept().setText(CALLBACK), new StringType(d.callback())));
        }
        if (t.status().isOpen() && !t.offeredTo().isEmpty()) {
            t.offeredTo().forEach(id -> fhir.getRestriction().addRecipient(person(id, hospital)));
        }
        if (t.timer() != null && t.status().isOpen()) {
            fhir.getRestriction().getPeriod().setEnd(date(t.timer().dueAt()));
        }
        if (timeline != null) {
            int n = 0;
            for (TaskEvent event : timeline) {
                String id = "e" + (++n);
                Provenance provenance = provenance(event, t, hospital);
                provenance.setId(id);
                fhir.addContained(provenance);
                fhir.addRelevantHistory(new Reference("#" + id));
                reasonOf(event).filter(r -> event instanceof TaskEvent.TaskCancelled)
                        .ifPresent(r -> fhir.setStatusReason(new CodeableConcept().setText(r)));
                if (event instanceof TaskEvent.TaskCompleted completed && completed.note() != null) {
                    fhir.addNote().setText(completed.note()).setTime(date(completed.at()))
                            .setAuthor(person(completed.actor(), hospital));
                }
            }
        }
        return fhir;
    }

    /** "offered, escalation step 2 of 3" — what the nurse in charge would want to know at a glance. */
    private static String businessStatus(Task t) {
        String state = t.status().code();
        if (t.escalates() && t.status().isOpen()) {
            return state + ", escalation step " + Math.max(1, t.level()) + " of " + t.policy().lastLevel();
        }
        return state;
    }

    private static Provenance provenance(TaskEvent event, Task t, Hospital hospital) {
        Provenance p = new Provenance();
        p.addTarget(new Reference("Task/" + t.id()));
        p.setRecorded(date(event.at()));
        p.setActivity(new CodeableConcept().setText(event.getClass().getSimpleName()));
        p.addAgent().setWho(event.actor() == null ? new Reference().setDisplay("Pagerless")
                : person(event.actor(), hospital));
        reasonOf(event).ifPresent(r -> p.addReason(new CodeableConcept().setText(r)));
        return p;
    }

    private static Optional<String> reasonOf(TaskEvent event) {
        if (event instanceof TaskEvent.TaskDeclined declined) {
            return Optional.ofNullable(declined.reason());
        }
        if (event instanceof TaskEvent.TaskCancelled cancelled) {
            return Optional.ofNullable(cancelled.reason());
        }
        if (event instanceof TaskEvent.TaskHandedBack back) {
            return Optional.ofNullable(back.reason());
        }
        if (event instanceof TaskEvent.TaskEscalated escalated) {
            return Optional.of(escalated.reason().name().toLowerCase().replace('_', ' '));
        }
        return Optional.empty();
    }

    private static CodeableConcept performerType(Target target, Hospital hospital) {
        return switch (target.type()) {
            case ROLE -> {
                String name = hospital.role(target.id()).map(Role::name).orElse(target.id());
                yield new CodeableConcept(new Coding(ROLE_SYSTEM, target.id(), name)).setText(name);
            }
            case TEAM -> new CodeableConcept(new Coding(TEAM_SYSTEM, target.id(), null)).setText(target.id());
            case PERSON -> new CodeableConcept().setText(hospital.staff(target.id()).map(Staff::displayName)
                    .orElse(target.id()));
        };
    }

    /** A member of staff as {@code Practitioner/<id>}, a hospital system as {@code Device/<id>}. */
    static Reference person(String staffId, Hospital hospital) {
        Optional<Staff> staff = hospital.staff(staffId);
        boolean system = staff.map(s -> AppRoles.INTEGRATION.equals(s.appRole())).orElse(false);
        return new Reference((system ? "Device/" : "Practitioner/") + staffId)
                .setDisplay(staff.map(Staff::displayName).orElse(staffId));
    }

    private static ParameterComponent input(CodeableConcept type, org.hl7.fhir.r4.model.Type value) {
        return new ParameterComponent(type, value);
    }

    private static Date date(Instant at) {
        return at == null ? null : Date.from(at);
    }

    /**
     * The request a FHIR {@code Task} makes, in intake's terms: intake then checks it as it checks every request
     * (see {@link FhirErrors#TASK_FIELDS} for how its field names read as FHIR elements).
     */
    public static TaskRequest toRequest(org.hl7.fhir.r4.model.Task fhir) {
        PatientIn patient = null;
        if (fhir.hasFor()) {
            Reference subject = fhir.getFor();
            if (subject.hasIdentifier() && !NHS_NUMBER.equals(subject.getIdentifier().getSystem())) {
                throw new org.pagerless.platform.InvalidRequest("Task.for.identifier.system",
                        "must be " + NHS_NUMBER + " (the patient's NHS number)");
            }
            patient = new PatientIn(subject.hasIdentifier() ? subject.getIdentifier().getValue() : null,
                    subject.getDisplay());
        }
        String ward = null;
        if (fhir.hasLocation()) {
            Reference location = fhir.getLocation();
            ward = location.hasReference() ? location.getReferenceElement().getIdPart()
                    : location.hasIdentifier() ? location.getIdentifier().getValue() : location.getDisplay();
        }
        String bed = stringInput(fhir, BED);
        LocationIn where = ward == null && bed == null ? null : new LocationIn(ward, bed);
        Integer news2 = fhir.getInput().stream()
                .filter(i -> i.getType().hasCoding(SNOMED, NEWS2_CODE) || "NEWS2".equalsIgnoreCase(i.getType().getText()))
                .findFirst().map(i -> {
                    if (!(i.getValue() instanceof IntegerType score)) {
                        throw new org.pagerless.platform.InvalidRequest("Task.input.where(type.text='NEWS2').value",
                                "must be a valueInteger");
                    }
                    return score.getValue();
                }).orElse(null);
        String type = fhir.hasCode() ? (fhir.getCode().hasText() ? fhir.getCode().getText()
                : fhir.getCode().hasCoding() ? Optional.ofNullable(fhir.getCode().getCodingFirstRep().getDisplay())
                        .orElse(fhir.getCode().getCodingFirstRep().getCode()) : null) : null;
        String priority = fhir.hasPriority() ? fhir.getPriority().toCode() : null;
        return new TaskRequest(to(fhir, ward), patient, where, type, fhir.getDescription(), priority, news2, null);
    }

    /** performerType (a role by code or name, or a bleep number), else a named recipient, else the ward's role. */
    private static To to(org.hl7.fhir.r4.model.Task fhir, String ward) {
        if (fhir.hasPerformerType()) {
            CodeableConcept type = fhir.getPerformerTypeFirstRep();
            for (Coding coding : type.getCoding()) {
                if (BLEEP_SYSTEM.equals(coding.getSystem())) {
                    return new To(null, null, coding.getCode(), null);
                }
                if (ROLE_SYSTEM.equals(coding.getSystem())) {
                    return new To(coding.getCode(), null, null, null);
                }
            }
            return new To(type.getText(), null, null, null);
        }
        if (fhir.hasRestriction() && fhir.getRestriction().hasRecipient()) {
            return new To(null, fhir.getRestriction().getRecipientFirstRep().getReferenceElement().getIdPart(),
                    null, null);
        }
        return ward == null ? null : new To(null, null, null, ward);
    }

    private static String stringInput(org.hl7.fhir.r4.model.Task fhir, String name) {
        return fhir.getInput().stream().filter(i -> name.equalsIgnoreCase(i.getType().getText()))
                .findFirst().map(i -> i.getValue() == null ? null : i.getValue().primitiveValue()).orElse(null);
    }
}
