package org.pagerless.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.LocationIn;
import org.pagerless.intake.IntakeRequests.PatientIn;
import org.pagerless.intake.IntakeRequests.TaskRequest;
import org.pagerless.intake.IntakeRequests.To;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem.Violation;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Shift;
import org.pagerless.rota.model.Staff;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.model.Location;
import org.pagerless.task.model.Patient;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskKind;

/** Turning bleep and task requests into RaiseTask commands, or listing every rule they break. */
class IntakeValidatorTest {

    /** 21:30 on Friday: the night team is on, the day FY1s have gone home. */
    private static final Instant NIGHT = Instant.parse("2025-03-14T21:30:00Z");
    private static final Instant MIDDAY = Instant.parse("2025-03-14T12:00:00Z");

    private static final String REQUESTER = "mary.jones";
    private static final UUID TASK_ID = UUID.fromString("0b1e0000-0000-4000-8000-000000000001");
    private static final UUID COMMAND_ID = UUID.fromString("c0de0000-0000-4000-8000-000000000001");

    private static final String VALID_NHS = "9434765919";
    private static final String PRIORITIES = "routine, urgent, asap, stat";

    /** A small hospital: ward 7B asks its FY1 first, then the medical SHO; surgery has nobody on tonight. */
    private static final Hospital HOSPITAL = new Hospital(
            List.of(new Ward("7B", "7B", List.of("med-fy1-7b", "med-sho-oncall")),
                    new Ward("AMU", "AMU", List.of("med-fy1-amu", "med-sho-oncall")),
                    new Ward("SURG3", "Surgical 3", List.of("surg-fy1-oncall"))),
            List.of(new Role("med-fy1-7b", "Medicine FY1 Ward 7B", "medicine", "2302"),
                    new Role("med-fy1-amu", "Medicine FY1 AMU", "medicine", "2303"),
                    new Role("med-sho-oncall", "Medical SHO On-Call", "medicine", "2310"),
                    new Role("med-reg-oncall", "Medical Registrar On-Call", "medicine", "2320"),
                    new Role("surg-fy1-oncall", "Surgical FY1 On-Call", "surgery", "2401")),
            List.of(new Staff("tom.reid", "Dr Tom Reid", "FY1", "clinician"),
                    new Staff("priya.shah", "Dr Priya Shah", "FY1", "clinician"),
                    new Staff("amira.khan", "Dr Amira Khan", "SHO", "clinician"),
                    new Staff("kate.morgan", "Dr Kate Morgan", "Registrar", "clinician"),
                    new Staff(REQUESTER, "Mary Jones", "Sister", "nurse-in-charge")),
            List.of(shift("med-fy1-7b", "tom.reid", "2025-03-14T08:00:00Z", "2025-03-14T20:00:00Z"),
                    shift("med-fy1-amu", "priya.shah", "2025-03-14T20:00:00Z", "2025-03-15T08:30:00Z"),
                    shift("med-sho-oncall", "amira.khan", "2025-03-14T08:00:00Z", "2025-03-15T08:30:00Z"),
                    shift("med-reg-oncall", "kate.morgan", "2025-03-14T20:00:00Z", "2025-03-15T08:30:00Z")));

    private static Shift shift(String role, String staff, String from, String to) {
        return new Shift(role, staff, Instant.parse(from), Instant.parse(to));
    }

    private static To role(String role) {
        return new To(role, null, null, null);
    }

    private static To person(String staffId) {
        return new To(null, staffId, null, null);
    }

    private static To bleepNumber(String bleep) {
        return new To(null, null, bleep, null);
    }

    private static To ward(String ward) {
        return new To(null, null, null, ward);
    }

    private static BleepRequest bleepTo(To to) {
        return new BleepRequest(to, "4417", "Please call AMU re: new admission", "urgent", null);
    }

    private static RaiseTask bleep(BleepRequest request, Instant at) {
        return IntakeValidator.bleep(request, REQUESTER, TASK_ID, COMMAND_ID, HOSPITAL, at);
    }

    private static RaiseTask bleep(BleepRequest request) {
        return bleep(request, NIGHT);
    }

    private static RaiseTask task(TaskRequest request) {
        return IntakeValidator.task(request, REQUESTER, TASK_ID, COMMAND_ID, HOSPITAL, NIGHT);
    }

    /** A complete, valid request for a cannula on ward 7B. */
    private static TaskRequest cannulaOn7B() {
        return new TaskRequest(role("med-fy1-7b"), new PatientIn(VALID_NHS, "Margaret Ellis"),
                new LocationIn("7B", "12"), "Cannula", "S: tissued cannula; B: IV antibiotics due 22:00", "urgent",
                3, null);
    }

    private static TaskRequest withPatient(TaskRequest r, PatientIn patient) {
        return new TaskRequest(r.to(), patient, r.location(), r.type(), r.detail(), r.priority(), r.news2(), r.fyi());
    }

    private static TaskRequest withLocation(TaskRequest r, LocationIn location) {
        return new TaskRequest(r.to(), r.patient(), location, r.type(), r.detail(), r.priority(), r.news2(), r.fyi());
    }

    private static TaskRequest withDetail(TaskRequest r, String detail) {
        return new TaskRequest(r.to(), r.patient(), r.location(), r.type(), detail, r.priority(), r.news2(), r.fyi());
    }

    private static TaskRequest withPriority(TaskRequest r, String priority) {
        return new TaskRequest(r.to(), r.patient(), r.location(), r.type(), r.detail(), priority, r.news2(), r.fyi());
    }

    private static TaskRequest withNews2(TaskRequest r, Integer news2) {
        return new TaskRequest(r.to(), r.patient(), r.location(), r.type(), r.detail(), r.priority(), news2, r.fyi());
    }

    /** Runs intake that must be refused and returns every violation it reported. */
    private static List<Violation> violations(Runnable intake) {
        try {
            intake.run();
        } catch (InvalidRequest e) {
            return e.violations();
        }
        return fail("expected the request to be refused as invalid");
    }

    @Nested
    class Bleeps {

        @Test
        void aValidBleepToARoleBecomesARaiseTaskForThatRole() {
            RaiseTask raise = bleep(new BleepRequest(role("med-reg-oncall"), " 4417 ",
                    "Please call AMU re: new admission", "urgent", null));

            assertThat(raise.commandId()).isEqualTo(COMMAND_ID);
            assertThat(raise.taskId()).isEqualTo(TASK_ID);
            assertThat(raise.actor()).isEqualTo(REQUESTER);
            assertThat(raise.kind()).isEqualTo(TaskKind.BLEEP);
            assertThat(raise.priority()).isEqualTo(Priority.URGENT);
            assertThat(raise.fyi()).isFalse();
            assertThat(raise.target()).isEqualTo(Target.role("med-reg-oncall"));
            assertThat(raise.details().callback()).isEqualTo("4417");
            assertThat(raise.details().message()).isEqualTo("Please call AMU re: new admission");
            assertThat(raise.details().patient()).isNull();
        }

        @Test
        void aBleepMarkedForInformationIsRaisedAsFyi() {
            RaiseTask raise = bleep(new BleepRequest(role("med-reg-oncall"), "4417", "Bed 12 back from CT", "routine",
                    true));

            assertThat(raise.fyi()).isTrue();
        }

        @Test
        void aBleepWhoseMessageCarriesAValidNhsNumberIsRefusedOnMessageSayingWhy() {
            assertThat(violations(() -> bleep(new BleepRequest(role("med-reg-oncall"), "4417",
                    "Re 943 476 5919 bed 12", "urgent", null))))
                    .extracting(v -> v.field()).containsExactly("message");
            assertThat(violations(() -> bleep(new BleepRequest(role("med-reg-oncall"), "4417",
                    "Re 943 476 5919 bed 12", "urgent", null))).get(0).reason()).startsWith("contains an NHS number");
        }

        @Test
        void aBleepWithoutAMessageIsStillACallMeBack() {
            RaiseTask raise = bleep(new BleepRequest(role("med-reg-oncall"), "4417", null, "urgent", null));

            assertThat(raise.details().message()).isNull();
        }

        @Test
        void aBleepWithNoRecipientIsRefusedOnTo() {
            assertThat(violations(() -> bleep(bleepTo(null))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("to", "is required: give a role, person, bleep or ward"));
        }

        @Test
        void aRecipientWithEveryPartBlankCountsAsMissing() {
            assertThat(violations(() -> bleep(bleepTo(new To(" ", "", null, null)))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("to", "is required: give a role, person, bleep or ward"));
        }

        @Test
        void aBleepToTwoRecipientsAtOnceIsRefused() {
            assertThat(violations(() -> bleep(bleepTo(new To("med-reg-oncall", null, "2310", null)))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("to", "give only one of role, person, bleep or ward"));
        }

        @Test
        void aBleepToAnUnknownRoleIsRefusedOnToRole() {
            assertThat(violations(() -> bleep(bleepTo(role("Cardiac Surgeon")))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("to.role", "unknown role 'Cardiac Surgeon'"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Medical Registrar On-Call", "medical registrar on-call", "MEDICAL REGISTRAR ON-CALL",
                "  Medical Registrar On-Call  "})
        void aRoleCanBeNamedInAnyCase(String name) {
            assertThat(bleep(bleepTo(role(name))).target()).isEqualTo(Target.role("med-reg-oncall"));
        }

        @Test
        void aBleepCanGoToANamedPerson() {
            assertThat(bleep(bleepTo(person("kate.morgan"))).target()).isEqualTo(Target.person("kate.morgan"));
        }

        @Test
        void aBleepToSomeoneNotOnTheStaffListIsRefusedOnToPerson() {
            assertThat(violations(() -> bleep(bleepTo(person("dr.nobody")))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("to.person", "unknown person 'dr.nobody'"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2320", " 2320 "})
        void aBleepNumberResolvesToTheRoleThatCarriesIt(String bleepNumber) {
            assertThat(bleep(bleepTo(bleepNumber(bleepNumber))).target()).isEqualTo(Target.role("med-reg-oncall"));
        }

        @Test
        void anUnknownBleepNumberIsRefusedOnToBleep() {
            assertThat(violations(() -> bleep(bleepTo(bleepNumber("9999")))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("to.bleep", "unknown bleep number '9999'"));
        }

        @Test
        void atNightAWardBleepGoesToTheSeniorCoverBecauseTheWardFy1HasGoneHome() {
            assertThat(bleep(bleepTo(ward("7B")), NIGHT).target()).isEqualTo(Target.role("med-sho-oncall"));
        }

        @Test
        void inTheDayAWardBleepGoesToTheWardFy1WhoIsAskedFirst() {
            assertThat(bleep(bleepTo(ward("7B")), MIDDAY).target()).isEqualTo(Target.role("med-fy1-7b"));
        }

        @Test
        void aWardBleepGoesToTheFirstCoveringRoleWithAHolderNow() {
            assertThat(bleep(bleepTo(ward("AMU")), NIGHT).target()).isEqualTo(Target.role("med-fy1-amu"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Ward 7B", "ward 7b", "7b"})
        void aWardCanBeGivenByNameInAnyCase(String ward) {
            assertThat(bleep(bleepTo(ward(ward)), NIGHT).target()).isEqualTo(Target.role("med-sho-oncall"));
        }

        @Test
        void aWardWithNobodyOnCallStillGoesToItsFirstCoveringRoleSoSwitchboardIsAlerted() {
            assertThat(bleep(bleepTo(ward("Surgical 3")), NIGHT).target()).isEqualTo(Target.role("surg-fy1-oncall"));
        }

        @Test
        void aBleepToAnUnknownWardIsRefusedOnToWard() {
            assertThat(violations(() -> bleep(bleepTo(ward("Ward 99")))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("to.ward", "unknown ward 'Ward 99'"));
        }

        @ParameterizedTest
        @CsvSource({"routine,ROUTINE", "urgent,URGENT", "asap,ASAP", "stat,STAT", "STAT,STAT", " Urgent ,URGENT"})
        void thePriorityIsOneOfTheFhirCodes(String code, Priority expected) {
            BleepRequest request = new BleepRequest(role("med-reg-oncall"), "4417", "Call please", code, null);

            assertThat(bleep(request).priority()).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"high", "emergency", "soon", "p1", "critical"})
        void aPriorityOutsideTheFhirCodesIsRefused(String code) {
            BleepRequest request = new BleepRequest(role("med-reg-oncall"), "4417", "Call please", code, null);

            assertThat(violations(() -> bleep(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("priority", "must be one of " + PRIORITIES));
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"  "})
        void aBleepWithoutAPriorityIsRefused(String code) {
            BleepRequest request = new BleepRequest(role("med-reg-oncall"), "4417", "Call please", code, null);

            assertThat(violations(() -> bleep(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("priority", "is required: one of " + PRIORITIES));
        }

        @Test
        void aMessageOfOneHundredAndSixtyCharactersFits() {
            String message = "x".repeat(160);

            assertThat(bleep(new BleepRequest(role("med-reg-oncall"), "4417", message, "urgent", null))
                    .details().message()).isEqualTo(message);
        }

        @Test
        void aMessageLongerThanOneHundredAndSixtyCharactersIsRefused() {
            BleepRequest request = new BleepRequest(role("med-reg-oncall"), "4417", "x".repeat(161), "urgent", null);

            assertThat(violations(() -> bleep(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("message", "is too long: at most 160 characters"));
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   "})
        void aBleepWithoutACallbackNumberIsRefused(String callback) {
            BleepRequest request = new BleepRequest(role("med-reg-oncall"), callback, "Call please", "urgent", null);

            assertThat(violations(() -> bleep(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("callback", "is required"));
        }

        @Test
        void aCallbackThatIsNotAPhoneNumberIsRefused() {
            BleepRequest request = new BleepRequest(role("med-reg-oncall"), "ring me", "Call please", "urgent", null);

            assertThat(violations(() -> bleep(request))).extracting(Violation::field).containsExactly("callback");
        }

        @Test
        void aMissingBodyIsRefused() {
            assertThat(violations(() -> bleep(null))).extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("body", "is required"));
        }

        @Test
        void everyBrokenRuleInABleepIsReportedTogether() {
            BleepRequest request = new BleepRequest(null, null, "x".repeat(161), "soon", null);

            assertThat(violations(() -> bleep(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactlyInAnyOrder(
                            tuple("to", "is required: give a role, person, bleep or ward"),
                            tuple("priority", "must be one of " + PRIORITIES),
                            tuple("callback", "is required"),
                            tuple("message", "is too long: at most 160 characters"));
        }
    }

    @Nested
    class ClinicalTasks {

        @Test
        void aValidTaskBecomesARaiseTaskWithPatientLocationAndSbarDetail() {
            TaskRequest request = withPatient(withLocation(cannulaOn7B(), new LocationIn("Ward 7B", "12")),
                    new PatientIn("943 476 5919", "Margaret Ellis"));

            RaiseTask raise = task(request);

            assertThat(raise.commandId()).isEqualTo(COMMAND_ID);
            assertThat(raise.taskId()).isEqualTo(TASK_ID);
            assertThat(raise.actor()).isEqualTo(REQUESTER);
            assertThat(raise.kind()).isEqualTo(TaskKind.TASK);
            assertThat(raise.priority()).isEqualTo(Priority.URGENT);
            assertThat(raise.target()).isEqualTo(Target.role("med-fy1-7b"));
            assertThat(raise.details().patient()).isEqualTo(new Patient(VALID_NHS, "Margaret Ellis"));
            assertThat(raise.details().location()).isEqualTo(new Location("7B", "12"));
            assertThat(raise.details().type()).isEqualTo("Cannula");
            assertThat(raise.details().detail()).isEqualTo("S: tissued cannula; B: IV antibiotics due 22:00");
            assertThat(raise.details().news2()).isEqualTo(3);
        }

        @Test
        void aTaskForTheWardGoesToWhoeverCoversItNow() {
            TaskRequest request = new TaskRequest(ward("7B"), new PatientIn(VALID_NHS, "Margaret Ellis"),
                    new LocationIn("7B", "12"), "Cannula", "Tissued cannula", "routine", null, null);

            assertThat(task(request).target()).isEqualTo(Target.role("med-sho-oncall"));
        }

        @Test
        void aTaskWithNoRecipientIsRefusedOnTo() {
            TaskRequest request = new TaskRequest(null, new PatientIn(VALID_NHS, "Margaret Ellis"),
                    new LocationIn("7B", "12"), "Cannula", "Tissued cannula", "routine", null, null);

            assertThat(violations(() -> task(request))).extracting(Violation::field).containsExactly("to");
        }

        @ParameterizedTest
        @ValueSource(strings = {"9434765918", "1234567890", "943 476 5910"})
        void aPatientWhoseNhsNumberFailsTheModulus11CheckIsRefused(String nhsNumber) {
            TaskRequest request = withPatient(cannulaOn7B(), new PatientIn(nhsNumber, "Margaret Ellis"));

            assertThat(violations(() -> task(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("patient.nhsNumber", "fails the NHS number modulus 11 check"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"943476591", "94347659190", "943476591X"})
        void aPatientWhoseNhsNumberIsNotTenDigitsIsRefused(String nhsNumber) {
            TaskRequest request = withPatient(cannulaOn7B(), new PatientIn(nhsNumber, "Margaret Ellis"));

            assertThat(violations(() -> task(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("patient.nhsNumber", "must be 10 digits"));
        }

        @ParameterizedTest
        @NullAndEmptySource
        void aPatientWithoutAnNhsNumberIsRefused(String nhsNumber) {
            TaskRequest request = withPatient(cannulaOn7B(), new PatientIn(nhsNumber, "Margaret Ellis"));

            assertThat(violations(() -> task(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("patient.nhsNumber", "is required"));
        }

        @Test
        void aTaskWithoutAPatientIsRefused() {
            assertThat(violations(() -> task(withPatient(cannulaOn7B(), null))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("patient", "is required"));
        }

        @Test
        void aTaskOnAnUnknownWardIsRefusedOnLocationWard() {
            TaskRequest request = withLocation(cannulaOn7B(), new LocationIn("Ward 99", "1"));

            assertThat(violations(() -> task(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("location.ward", "unknown ward 'Ward 99'"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"soon", "high", "immediately"})
        void aTaskPriorityOutsideTheFhirCodesIsRefused(String code) {
            assertThat(violations(() -> task(withPriority(cannulaOn7B(), code))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("priority", "must be one of " + PRIORITIES));
        }

        @Test
        void aTaskWithoutAPriorityIsRefused() {
            assertThat(violations(() -> task(withPriority(cannulaOn7B(), null))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("priority", "is required: one of " + PRIORITIES));
        }

        @Test
        void detailOfTwoThousandCharactersFits() {
            String detail = "d".repeat(2000);

            assertThat(task(withDetail(cannulaOn7B(), detail)).details().detail()).isEqualTo(detail);
        }

        @Test
        void detailLongerThanTwoThousandCharactersIsRefused() {
            assertThat(violations(() -> task(withDetail(cannulaOn7B(), "d".repeat(2001)))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("detail", "is too long: at most 2000 characters"));
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 7, 20})
        void aNews2ScoreFromZeroToTwentyIsAccepted(int news2) {
            assertThat(task(withNews2(cannulaOn7B(), news2)).details().news2()).isEqualTo(news2);
        }

        @Test
        void aNews2ScoreIsOptional() {
            assertThat(task(withNews2(cannulaOn7B(), null)).details().news2()).isNull();
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 21, 100})
        void aNews2ScoreOutsideZeroToTwentyIsRefused(int news2) {
            assertThat(violations(() -> task(withNews2(cannulaOn7B(), news2))))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactly(tuple("news2", "must be between 0 and 20"));
        }

        @Test
        void everyBrokenRuleInATaskIsReportedTogether() {
            TaskRequest request = new TaskRequest(new To("med-reg-oncall", "kate.morgan", null, null),
                    new PatientIn("9434765918", null), new LocationIn("Ward 99", null), null, "d".repeat(2001),
                    "soon", 25, null);

            assertThat(violations(() -> task(request)))
                    .extracting(Violation::field, Violation::reason)
                    .containsExactlyInAnyOrder(
                            tuple("to", "give only one of role, person, bleep or ward"),
                            tuple("patient.name", "is required"),
                            tuple("patient.nhsNumber", "fails the NHS number modulus 11 check"),
                            tuple("location.ward", "unknown ward 'Ward 99'"),
                            tuple("type", "is required"),
                            tuple("detail", "is too long: at most 2000 characters"),
                            tuple("priority", "must be one of " + PRIORITIES),
                            tuple("news2", "must be between 0 and 20"));
        }
    }
}
