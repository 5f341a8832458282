package org.pagerless.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.intake.IntakeRequests.To;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.platform.TextField;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.model.Location;
import org.pagerless.task.model.Patient;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskLane;

/**
 * Checks a bleep or task request against the hospital's reference data and turns it into a
 * {@link RaiseTask}. Every broken rule is reported at once, by field; nothing is accepted in part.
 */
public final class IntakeValidator {
    /** A callback: a phone number or extension (compiled once: every bleep and page is checked). */
    private static final Pattern CALLBACK = Pattern.compile("[0-9+()# ]+");
    static final int MAX_CALLBACK = 20;
    static final int MAX_MESSAGE = 160;
    static final int MAX_NAME = 100;
    static final int MAX_BED = 10;
    static final int MAX_TYPE = 60;
    static final int MAX_DETAIL = 2000;
    private static final String PRIORITIES = Stream.of(Priority.values()).map(Priority::code)
            .collect(Collectors.joining(", "));

    private final Hospital hospital;
    private final Instant now;
    private final List<Violation> violations = new ArrayList<>();

    private IntakeValidator(Hospital hospital, Instant now) {
        this.hospital = hospital;
        this.now = now;
    }

    public static RaiseTask bleep(BleepRequest req, String requester, UUID taskId, UUID commandId, Hospital hospital,
                                  Instant now) {
        IntakeValidator v = new IntakeValidator(hospital, now);
        if (req == null) {
            throw new InvalidRequest("body", "is required");
        }
        Target target = v.target(req.to());
        Priority priority = v.priority(req.priority());
        String callback = v.text("callback", req.callback(), true, MAX_CALLBACK);
        if (callback != null && !CALLBACK.matcher(callback).matches()) {
            v.fail("callback", "must be a phone number or extension (digits, +, #, spaces)");
        }
        String message = v.text("message", req.message(), false, MAX_MESSAGE);
        if (NhsNumber.foundIn(message)) {
            v.fail("message", "contains an NHS number: a bleep message is sent by text and shown on screens, so it must "
                    + "not identify a patient. Remove the number and say only where to call");
        }
        v.throwIfInvalid();
        // The task's id carries its lane: a stat bleep's commands never wait behind routine ones.
        return new RaiseTask(commandId, TaskLane.of(priority).taskId(taskId), requester, TaskKind.BLEEP, priority,
                Boolean.TRUE.equals(req.fyi()), target, TaskDetails.bleep(callback.trim(), message));
    }

    public static RaiseTask task(TaskRequest req, String requester, UUID taskId, UUID commandId, Hospital hospital,
                                 Instant now) {
        IntakeValidator v = new IntakeValidator(hospital, now);
        if (req == null) {
            throw new InvalidRequest("body", "is required");
        }
        Patient patient = null;
        if (req.patient() == null) {
            v.fail("patient", "is required");
        } else {
            String name = v.text("patient.name", req.patient().name(), true, MAX_NAME);
            String nhs = req.patient().nhsNumber();
            if (nhs == null || nhs.isBlank()) {
                v.fail("patient.nhsNumber", "is required");
            } else {
                NhsNumber.problem(nhs).ifPresent(reason -> v.fail("patient.nhsNumber", reason));
            }
            patient = new Patient(NhsNumber.normalise(nhs), name);
        }
        Ward ward = null;
        String bed = null;
        if (req.location() == null) {
            v.fail("location", "is required");
        } else {
            String wardName = v.text("location.ward", req.location().ward(), true, 60);
            if (wardName != null) {
                ward = hospital.ward(wardName).orElse(null);
                if (ward == null) {
                    v.fail("location.ward", "unknown ward '" + wardName + "'");
                }
            }
            bed = v.text("location.bed", req.location().bed(), false, MAX_BED);
        }
        Target target = v.target(req.to());
        String type = v.text("type", req.type(), true, MAX_TYPE);
        String detail = v.text("detail", req.detail(), true, MAX_DETAIL);
        Priority priority = v.priority(req.priority());
        if (req.news2() != null && (req.news2() < 0 || req.news2() > 20)) {
            v.fail("news2", "must be between 0 and 20");
        }
        v.throwIfInvalid();
        return new RaiseTask(commandId, TaskLane.of(priority).taskId(taskId), requester, TaskKind.TASK, priority,
                Boolean.TRUE.equals(req.fyi()), target,
                new TaskDetails(null, null, patient, new Location(ward.id(), bed), type, detail, req.news2()));
    }

    private Target target(To to) {
        if (to == null) {
            fail("to", "is required: give a role, person, bleep or ward");
            return null;
        }
        long given = Stream.of(to.role(), to.person(), to.bleep(), to.ward()).filter(s -> s != null && !s.isBlank())
                .count();
        if (given != 1) {
            fail("to", given == 0 ? "is required: give a role, person, bleep or ward"
                    : "give only one of role, person, bleep or ward");
            return null;
        }
        if (present(to.role())) {
            return found("to.role", hospital.role(to.role()).map(r -> Target.role(r.id())), "unknown role", to.role());
        }
        if (present(to.person())) {
            return found("to.person", hospital.staff(to.person()).map(s -> Target.person(s.id())), "unknown person",
                    to.person());
        }
        if (present(to.bleep())) {
            return found("to.bleep", hospital.roleByBleep(to.bleep().trim()).map(r -> Target.role(r.id())),
                    "unknown bleep number", to.bleep());
        }
        Optional<Ward> ward = hospital.ward(to.ward());
        if (ward.isEmpty()) {
            fail("to.ward", "unknown ward '" + to.ward() + "'");
            return null;
        }
        return found("to.ward", hospital.coveringRole(ward.get(), now).map(r -> Target.role(r.id())),
                "no role covers ward", to.ward());
    }

    private Target found(String field, Optional<Target> target, String reason, String given) {
        if (target.isEmpty()) {
            fail(field, reason + " '" + given + "'");
        }
        return target.orElse(null);
    }

    private Priority priority(String code) {
        if (code == null || code.isBlank()) {
            fail("priority", "is required: one of " + PRIORITIES);
            return null;
        }
        return Priority.fromCode(code.trim().toLowerCase()).orElseGet(() -> {
            fail("priority", "must be one of " + PRIORITIES);
            return null;
        });
    }

    private String text(String field, String value, boolean required, int max) {
        return TextField.check(field, value, required, max, violations);
    }

    /**
     * Whether {@code value} is a callback a paging protocol may pass on (SNPP's CALL, WCTP's miscInfo): 1 to
     * {@value #MAX_CALLBACK} digits, +, (, ), # or spaces, the rule a bleep's callback is held to.
     */
    public static boolean isCallback(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_CALLBACK && CALLBACK.matcher(value).matches();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private void fail(String field, String reason) {
        violations.add(new Violation(field, reason));
    }

    private void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
    }
}
