package org.pagerless.interop.hl7v2;

import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.pagerless.interop.HospitalSystems;
import org.pagerless.intake.KnownPatients;
import org.pagerless.intake.NhsNumber;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.CommandGateway;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.TaskSearch;
import org.pagerless.task.model.Location;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.RelocateTask;
import org.pagerless.task.model.TaskStatus;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The trust's ADT feed (HL7 v2, any 2.x read as 2.5.1): admits, transfers, updates and discharges keep each
 * patient's current ward and bed ({@link PatientLocations}), by the NHS number in PID-3, and their name (PID-5) so a
 * bleep message naming them is flagged ({@link KnownPatients}). A01, A02, A08 and the
 * cancellations A12 (back to PV1-3) and A13 place the patient at PV1-3 (point of care = ward, bed); A03 and A11
 * forget them. A02, A08 and A12 also move the patient's open tasks there: one {@link RelocateTask} per task through
 * the task processor (never written here), with ids derived from the message id so a resent message moves each
 * task once; the ACK is AA only once the broker has them. Every message gets an ACK: AA applied, AE content wrong (naming the field), AR not processable here
 * (not ADT, an unsupported event, not signed in). MSH-3 names the sending system and MSH-8 carries its password.
 */
@ApplicationScoped
public class AdtFeed {
    private static final Logger LOG = Logger.getLogger(AdtFeed.class);
    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    @Inject
    HospitalSystems systems;
    @Inject
    PatientLocations locations;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    KnownPatients knownPatients;
    @Inject
    TaskQueries tasks;
    @Inject
    CommandGateway commands;

    /** Open tasks of one patient moved per message at most: a patient never has more; a bound keeps the ACK quick. */
    static final int MAX_TASKS_MOVED = 200;

    /**
     * Made once, for the bean itself: a field initialiser would also run for its client proxy, made at start-up, and
     * HAPI's context looks for its optional packages across every jar on the class path (~0.2 s of the start). The
     * bean is made at the first message.
     */
    private PipeParser parser;

    @PostConstruct
    void makeParser() {
        HapiContext context = new DefaultHapiContext();
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        parser = context.getPipeParser();
    }

    /** A refusal: its ACK code, the HL7 error code and a reason naming the field. */
    private static final class Refused extends Exception {
        final AcknowledgmentCode code;
        final ErrorCode error;

        Refused(AcknowledgmentCode code, ErrorCode error, String reason) {
            super(reason);
            this.code = code;
            this.error = error;
        }
    }

    /** Applies one message; returns its ACK (ER7). */
    String receive(String text) {
        Message message;
        try {
            message = parser.parse(text);
        } catch (HL7Exception | RuntimeException e) {
            return rawReject(text, "the message cannot be parsed as HL7 v2");
        }
        try {
            apply(message);
            return ack(message, AcknowledgmentCode.AA, null);
        } catch (Refused r) {
            return ack(message, r.code, r);
        } catch (RuntimeException e) {
            LOG.errorf("ADT message not applied: %s", e.getClass().getName());
            return ack(message, AcknowledgmentCode.AE, new Refused(AcknowledgmentCode.AE,
                    ErrorCode.APPLICATION_INTERNAL_ERROR, "not applied (internal error); please resend"));
        }
    }

    private void apply(Message message) throws Refused {
        Terser terser = new Terser(message);
        String system = get(terser, "/MSH-3-1");
        var signedIn = systems.signIn(system, get(terser, "/MSH-8"));
        if (signedIn.isEmpty()) {
            throw new Refused(AcknowledgmentCode.AR, ErrorCode.UNKNOWN_KEY_IDENTIFIER,
                    "MSH-3/MSH-8: not a hospital system's sign-in");
        }
        if (!"ADT".equals(get(terser, "/MSH-9-1"))) {
            throw new Refused(AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
                    "MSH-9.1: only ADT messages are taken here");
        }
        String event = get(terser, "/MSH-9-2");
        boolean place = switch (event == null ? "" : event) {
            case "A01", "A02", "A08", "A12", "A13" -> true;
            case "A03", "A11" -> false;
            default -> throw new Refused(AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_EVENT_CODE,
                    "MSH-9.2: event " + event + " is not taken (A01, A02, A03, A08, A11, A12, A13 are)");
        };
        String nhsNumber = nhsNumber(terser);
        if (!place) {
            locations.forget(nhsNumber);
            knownPatients.forget(nhsNumber);
            return;
        }
        String wardName = get(terser, "/.PV1-3-1");
        if (wardName == null || wardName.isBlank()) {
            throw new Refused(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "PV1-3.1: the ward is required");
        }
        Ward ward = referenceData.hospital().ward(wardName).orElseThrow(() -> new Refused(AcknowledgmentCode.AE,
                ErrorCode.UNKNOWN_KEY_IDENTIFIER, "PV1-3.1: unknown ward '" + wardName + "'"));
        String bed = get(terser, "/.PV1-3-3");
        String messageId = Optional.ofNullable(get(terser, "/MSH-10")).orElse("");
        PatientLocations.Where where = new PatientLocations.Where(ward.id(), bed == null || bed.isBlank() ? null : bed);
        locations.place(nhsNumber, where, messageId, clock.instant());
        // PID-5 (family ^ given): so that a bleep message naming the patient is flagged (KnownPatients).
        knownPatients.remember(nhsNumber, new KnownPatients.Name(get(terser, "/.PID-5-2"), get(terser, "/.PID-5-1-1")),
                clock.instant());
        if (event.equals("A02") || event.equals("A08") || event.equals("A12")) {
            moveOpenTasks(nhsNumber, where, signedIn.get().staffId(), messageId);
        }
    }

    /**
     * The patient's open tasks follow them: each is relocated through the processor (a task already there is left
     * alone by the processor). A message without an id gets a fresh command id per delivery: still moved once,
     * as a second move to the same place changes nothing.
     */
    private void moveOpenTasks(String nhsNumber, PatientLocations.Where where, String system, String messageId) {
        TaskSearch open = new TaskSearch(java.util.EnumSet.of(TaskStatus.REQUESTED, TaskStatus.OFFERED,
                TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS), null, null, null, null, nhsNumber, null, null);
        Location to = new Location(where.wardId(), where.bed());
        List<TaskCommand> moves = tasks.search(open, 0, MAX_TASKS_MOVED).tasks().stream()
                .filter(t -> !to.equals(t.details().location()))
                .map(t -> (TaskCommand) RelocateTask.of(t.id(), system,
                        messageId.isEmpty() ? java.util.UUID.randomUUID().toString() : messageId, to))
                .toList();
        if (!moves.isEmpty()) {
            commands.submitAll(moves);
        }
    }

    /** The NHS number among the PID-3 identifiers: type NH, or assigned by the NHS. */
    private static String nhsNumber(Terser terser) throws Refused {
        for (int i = 0; i < 10; i++) {
            String id = get(terser, "/.PID-3(" + i + ")-1");
            if (id == null) {
                break;
            }
            String authority = get(terser, "/.PID-3(" + i + ")-4-1");
            String type = get(terser, "/.PID-3(" + i + ")-5");
            if ("NH".equals(type) || (authority != null && authority.toUpperCase().contains("NHS"))) {
                Optional<String> problem = NhsNumber.problem(id);
                if (problem.isPresent()) {
                    throw new Refused(AcknowledgmentCode.AE, ErrorCode.DATA_TYPE_ERROR,
                            "PID-3(" + (i + 1) + ").1: " + problem.get());
                }
                return NhsNumber.normalise(id);
            }
        }
        throw new Refused(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING,
                "PID-3: no NHS number (identifier type NH or assigning authority NHS)");
    }

    private static String get(Terser terser, String path) {
        try {
            return terser.get(path);
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }

    private String ack(Message message, AcknowledgmentCode code, Refused refused) {
        try {
            Message ack = refused == null ? message.generateACK()
                    : message.generateACK(code, new HL7Exception(refused.getMessage(), refused.error));
            if (refused != null) {
                new Terser(ack).set("/MSA-3", refused.getMessage());
            }
            new Terser(ack).set("/MSH-3-1", "Pagerless");
            return parser.encode(ack);
        } catch (HL7Exception | java.io.IOException e) {
            return rawReject("", "cannot build the ACK");
        }
    }

    /** An AR for a message HAPI cannot read: its control id and version as far as the raw MSH says. */
    private String rawReject(String text, String reason) {
        String controlId = "";
        String version = "2.5.1";
        if (text.startsWith("MSH") && text.length() > 8) {
            char sep = text.charAt(3);
            String[] msh = text.split("\r|\n", 2)[0].split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
            controlId = msh.length > 9 ? msh[9] : "";
            version = msh.length > 11 && !msh[11].isBlank() ? msh[11] : version;
        }
        String clean = controlId.replaceAll("[|^~\\\\&\r\n]", "");
        return "MSH|^~\\&|Pagerless||||" + HL7_TIME.format(clock.instant()) + "||ACK|" + clean + "|P|"
                + version.replaceAll("[|^~\\\\&\r\n]", "") + "\rMSA|AR|" + clean + "|" + reason + "\r";
    }
}
