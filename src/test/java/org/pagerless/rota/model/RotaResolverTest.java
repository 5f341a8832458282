package org.pagerless.rota.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Who holds a role at a given instant, from the shifts on the rota. */
class RotaResolverTest {

    private static final String MED_REG = "med-reg-oncall";
    private static final String MED_SHO = "med-sho-oncall";
    private static final String FY1_7B = "med-fy1-7b";

    private static final Instant DAY_STARTS = Instant.parse("2025-03-14T08:00:00Z");
    private static final Instant DAY_ENDS = Instant.parse("2025-03-14T20:30:00Z");
    private static final Instant NIGHT_STARTS = Instant.parse("2025-03-14T20:00:00Z");
    private static final Instant NIGHT_ENDS = Instant.parse("2025-03-15T08:30:00Z");
    private static final Instant MIDDAY = Instant.parse("2025-03-14T12:00:00Z");
    private static final Instant HANDOVER = Instant.parse("2025-03-14T20:15:00Z");
    private static final Instant MIDNIGHT = Instant.parse("2025-03-15T00:00:00Z");

    private static final Shift KATE_DAY_REG = new Shift(MED_REG, "kate.morgan", DAY_STARTS, DAY_ENDS);
    private static final Shift RAJ_NIGHT_REG = new Shift(MED_REG, "raj.patel", NIGHT_STARTS, NIGHT_ENDS);
    private static final Shift AMIRA_DAY_SHO = new Shift(MED_SHO, "amira.khan", DAY_STARTS, DAY_ENDS);
    private static final Shift DAN_DAY_SHO = new Shift(MED_SHO, "dan.wright", DAY_STARTS, DAY_ENDS);

    private final RotaResolver rota = new RotaResolver(List.of(RAJ_NIGHT_REG, KATE_DAY_REG, AMIRA_DAY_SHO,
            DAN_DAY_SHO));

    @Test
    void theHoldersOfARoleAreEveryoneOnShiftForItAtThatInstant() {
        assertThat(rota.holdersOf(MED_REG, MIDDAY)).containsExactly("kate.morgan");
        assertThat(rota.holdersOf(MED_REG, MIDNIGHT)).containsExactly("raj.patel");
        assertThat(rota.holdersOf(MED_SHO, MIDDAY)).containsExactlyInAnyOrder("amira.khan", "dan.wright");
    }

    @Test
    void nobodyHoldsARoleBetweenShifts() {
        assertThat(rota.holdersOf(MED_SHO, MIDNIGHT)).isEmpty();
        assertThat(rota.holdersOf(MED_REG, DAY_STARTS.minusSeconds(1))).isEmpty();
    }

    @Test
    void aShiftCoversItsFirstInstant() {
        assertThat(rota.holdersOf(MED_REG, DAY_STARTS)).containsExactly("kate.morgan");
    }

    @Test
    void aShiftNoLongerCoversTheInstantItEnds() {
        assertThat(rota.holdersOf(MED_REG, NIGHT_ENDS.minusNanos(1))).containsExactly("raj.patel");
        assertThat(rota.holdersOf(MED_REG, NIGHT_ENDS)).isEmpty();
    }

    @Test
    void atHandoverBothTheOutgoingAndIncomingHoldersHoldTheRoleEarliestShiftFirst() {
        assertThat(rota.holdersOf(MED_REG, HANDOVER)).containsExactly("kate.morgan", "raj.patel");
    }

    @Test
    void whenTheDayShiftEndsOnlyTheNightHolderRemains() {
        assertThat(rota.holdersOf(MED_REG, DAY_ENDS)).containsExactly("raj.patel");
    }

    @Test
    void someoneOnTwoOverlappingShiftsForARoleIsListedOnce() {
        Shift extended = new Shift(MED_REG, "kate.morgan", Instant.parse("2025-03-14T20:00:00Z"),
                Instant.parse("2025-03-14T22:00:00Z"));
        RotaResolver doubleBooked = new RotaResolver(List.of(KATE_DAY_REG, extended));

        assertThat(doubleBooked.holdersOf(MED_REG, HANDOVER)).containsExactly("kate.morgan");
    }

    @Test
    void aRoleWithNoShiftsHasNoHolders() {
        assertThat(rota.holdersOf(FY1_7B, MIDDAY)).isEmpty();
        assertThat(new RotaResolver(List.of()).holdersOf(MED_REG, MIDDAY)).isEmpty();
    }

    @Test
    void theShiftSomeoneIsOnIsFoundOnlyWhileItCoversTheInstant() {
        assertThat(rota.shiftOf(MED_REG, "raj.patel", MIDNIGHT)).contains(RAJ_NIGHT_REG);
        assertThat(rota.shiftOf(MED_REG, "raj.patel", MIDDAY)).isEmpty();
        assertThat(rota.shiftOf(MED_REG, "kate.morgan", MIDNIGHT)).isEmpty();
    }

    @Test
    void aShiftMustEndAfterItStarts() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Shift(MED_REG, "kate.morgan", DAY_STARTS,
                DAY_STARTS));
        assertThatIllegalArgumentException().isThrownBy(() -> new Shift(MED_REG, "kate.morgan", DAY_ENDS,
                DAY_STARTS));
    }

    @Test
    void aShiftOfOneNanosecondCoversExactlyItsStart() {
        Shift blip = new Shift(MED_REG, "kate.morgan", DAY_STARTS, DAY_STARTS.plus(Duration.ofNanos(1)));

        assertThat(blip.covers(DAY_STARTS)).isTrue();
        assertThat(blip.covers(DAY_STARTS.plusNanos(1))).isFalse();
        assertThat(blip.covers(DAY_STARTS.minusNanos(1))).isFalse();
    }

    /** Ward 7B is asked of its FY1 first, then the medical SHO on call. */
    private static Hospital hospitalWith(Shift... shifts) {
        Ward ward7b = new Ward("7B", "7B", List.of(FY1_7B, MED_SHO));
        return new Hospital(List.of(ward7b),
                List.of(new Role(FY1_7B, "Medicine FY1 Ward 7B", "medicine", "2302"),
                        new Role(MED_SHO, "Medical SHO On-Call", "medicine", "2310")),
                List.of(new Staff("tom.reid", "Dr Tom Reid", "FY1", "clinician"),
                        new Staff("amira.khan", "Dr Amira Khan", "SHO", "clinician")),
                List.of(shifts));
    }

    @Test
    void aWardIsCoveredByItsFirstCoveringRoleThatHasAHolder() {
        Hospital hospital = hospitalWith(new Shift(FY1_7B, "tom.reid", DAY_STARTS, DAY_ENDS),
                new Shift(MED_SHO, "amira.khan", DAY_STARTS, NIGHT_ENDS));
        Ward ward7b = hospital.ward("7B").orElseThrow();

        assertThat(hospital.coveringRole(ward7b, MIDDAY)).map(Role::id).contains(FY1_7B);
        assertThat(hospital.coveringRole(ward7b, MIDNIGHT)).map(Role::id).contains(MED_SHO);
    }

    @Test
    void aWardNobodyCoversFallsBackToItsFirstCoveringRole() {
        Hospital hospital = hospitalWith();
        Ward ward7b = hospital.ward("7B").orElseThrow();

        assertThat(hospital.coveringRole(ward7b, MIDNIGHT)).map(Role::id).contains(FY1_7B);
    }

    @Test
    void aWardWithNoCoveringRolesHasNoCoveringRole() {
        Hospital hospital = hospitalWith();

        assertThat(hospital.coveringRole(new Ward("ED", "ED", List.of()), MIDDAY)).isEmpty();
    }
}
