package org.pagerless.conversation.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.conversation.model.Receipts.Receipt;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Shift;
import org.pagerless.rota.model.Staff;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.model.TaskEvent;

/** Who is in a room at an instant, who is mentioned, and receipts as a person would say them. */
class ConversationModelTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Instant DAY = Instant.parse("2026-03-14T08:00:00Z");
    private static final Instant NIGHT = Instant.parse("2026-03-14T20:00:00Z");
    private static final Instant NIGHT_ENDS = Instant.parse("2026-03-15T08:30:00Z");
    private static final Instant MIDDAY = Instant.parse("2026-03-14T12:00:00Z");
    private static final Instant MIDNIGHT = Instant.parse("2026-03-15T00:00:00Z");

    private static final Hospital HOSPITAL = new Hospital(
            List.of(new Ward("7B", "7B", List.of("med-fy1-7b", "med-sho-oncall"))),
            List.of(new Role("med-reg-oncall", "Medical Registrar On-Call", "medicine", "2320"),
                    new Role("med-sho-oncall", "Medical SHO On-Call", "medicine", "2310"),
                    new Role("med-fy1-7b", "Medicine FY1 Ward 7B", "medicine", "2302"),
                    new Role("nic-7b", "Nurse in Charge 7B", "nursing", "3002")),
            List.of(staff("kate.morgan", "Dr Kate Morgan"), staff("raj.patel", "Dr Raj Patel"),
                    staff("amira.khan", "Dr Amira Khan"), staff("tom.reid", "Dr Tom Reid"),
                    staff("grace.okafor", "Grace Okafor"), staff("john.doyle", "John Doyle")),
            List.of(new Shift("med-reg-oncall", "kate.morgan", DAY, NIGHT.plusSeconds(1800)),
                    new Shift("med-reg-oncall", "raj.patel", NIGHT, NIGHT_ENDS),
                    new Shift("med-sho-oncall", "amira.khan", DAY, NIGHT.plusSeconds(1800)),
                    new Shift("med-fy1-7b", "tom.reid", DAY, NIGHT),
                    new Shift("nic-7b", "grace.okafor", DAY, NIGHT.plusSeconds(1800)),
                    new Shift("nic-7b", "john.doyle", NIGHT, NIGHT_ENDS)));

    private static Staff staff(String id, String name) {
        return new Staff(id, name, "grade", "clinician");
    }

    @Test
    void aWardRoomHasTheStaffCoveringTheWardAndItsNurseInChargeAndTheNightTeamReplacesTheDayTeam() {
        Conversation ward7b = room(List.of(), List.of("7B"));
        Map<String, String> nic = Map.of("7B", "nic-7b");

        assertThat(Membership.membersAt(ward7b, HOSPITAL, nic, MIDDAY))
                .containsExactlyInAnyOrder("tom.reid", "amira.khan", "grace.okafor");
        assertThat(Membership.membersAt(ward7b, HOSPITAL, nic, MIDNIGHT)).containsExactly("john.doyle");
    }

    @Test
    void aRoleRoomHasWhoeverHoldsTheRolesNowPlusItsFixedMembers() {
        Conversation onCall = new Conversation(UUID.randomUUID(), Conversation.Kind.ROLE, "Medical Registrar On-Call",
                null, List.of("med-reg-oncall"), List.of(), List.of("grace.okafor"), "grace.okafor", DAY);

        assertThat(Membership.membersAt(onCall, HOSPITAL, Map.of(), MIDDAY)).containsExactly("grace.okafor", "kate.morgan");
        assertThat(Membership.membersAt(onCall, HOSPITAL, Map.of(), MIDNIGHT)).containsExactly("grace.okafor", "raj.patel");
    }

    @Test
    void mentionsNameAPersonOrWhoeverHoldsARoleAndIgnoreWordsThatNameNobody() {
        assertThat(Mentions.in("@kate.morgan please see, cc @nic-7b", HOSPITAL, MIDNIGHT))
                .containsExactly("kate.morgan", "john.doyle");
        assertThat(Mentions.in("@med-reg-oncall K+ 6.1", HOSPITAL, MIDDAY)).containsExactly("kate.morgan");
        assertThat(Mentions.in("email bloods@lab.nhs.uk, @nobody, @", HOSPITAL, MIDDAY)).isEmpty();
    }

    @Test
    void receiptsSayWhoReadItAndWhenAndHowManyHaveNotYet() {
        List<String> audience = List.of("grace.okafor", "kate.morgan", "amira.khan", "tom.reid", "raj.patel");
        Map<String, Receipt> receipts = Map.of(
                "kate.morgan", new Receipt("kate.morgan", Instant.parse("2026-06-01T13:01:00Z"), Instant.parse("2026-06-01T13:02:00Z")),
                "amira.khan", new Receipt("amira.khan", Instant.parse("2026-06-01T13:01:00Z"), null));

        assertThat(Receipts.describe("grace.okafor", audience, receipts, HOSPITAL_NAMES, LONDON))
                .isEqualTo("read by Dr Kate Morgan 14:02, delivered to 1, not yet by 2");
        assertThat(Receipts.describe("grace.okafor", audience, Map.of(), HOSPITAL_NAMES, LONDON))
                .isEqualTo("sent, not yet read by 4");
        assertThat(Receipts.describe("grace.okafor", List.of("grace.okafor"), Map.of(), HOSPITAL_NAMES, LONDON))
                .isEqualTo("sent");
    }

    @Test
    void taskEventsBecomeLinesWithNamesAndRejectedCommandsDoNot() {
        UUID task = UUID.randomUUID();
        assertThat(SystemLines.lineFor(new TaskEvent.TaskAccepted(UUID.randomUUID(), task, UUID.randomUUID(),
                "kate.morgan", MIDDAY, "kate.morgan"), HOSPITAL_NAMES)).contains("Accepted by Dr Kate Morgan");
        assertThat(SystemLines.lineFor(new TaskEvent.TaskDeclined(UUID.randomUUID(), task, UUID.randomUUID(),
                "raj.patel", MIDDAY, "In resus"), HOSPITAL_NAMES)).contains("Declined by Dr Raj Patel: In resus");
        assertThat(SystemLines.lineFor(new TaskEvent.TaskEscalated(UUID.randomUUID(), task, UUID.randomUUID(),
                "system", MIDDAY, 1, 2, "Registrar", TaskEvent.EscalationReason.NOT_ACCEPTED_IN_TIME, List.of()),
                HOSPITAL_NAMES)).contains("Escalated from step 1 to step 2 (not accepted in time)");
        assertThat(SystemLines.lineFor(new TaskEvent.CommandRejected(UUID.randomUUID(), task, UUID.randomUUID(),
                "raj.patel", MIDDAY, TaskEvent.Rejection.ALREADY_TAKEN, "taken", "kate.morgan"), HOSPITAL_NAMES)).isEmpty();
    }

    @Test
    void directAndRoleConversationsHaveOneIdWhoeverOpensThem() {
        assertThat(Conversation.directId("kate.morgan", "grace.okafor")).isEqualTo(Conversation.directId("grace.okafor", "kate.morgan"));
        assertThat(Conversation.roleId("grace.okafor", "med-reg-oncall")).isNotEqualTo(Conversation.roleId("john.doyle", "med-reg-oncall"));
    }

    private static final java.util.function.Function<String, String> HOSPITAL_NAMES =
            id -> HOSPITAL.staff(id).map(Staff::displayName).orElse(id);

    private static Conversation room(List<String> roles, List<String> wards) {
        return new Conversation(UUID.randomUUID(), Conversation.Kind.ROOM, "Ward 7B", null, roles, wards, List.of(), "admin", DAY);
    }
}
