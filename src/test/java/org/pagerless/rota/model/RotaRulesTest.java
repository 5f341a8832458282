package org.pagerless.rota.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Rotations, overrides and leave, in Europe/London, read as the rota rules they implement. */
class RotaRulesTest {

    private static final String MED_REG = "med-reg-oncall";
    private static final String MED_SHO = "med-sho-oncall";
    private static final LocalTime EIGHT = LocalTime.of(8, 0);
    private static final LocalTime TWENTY = LocalTime.of(20, 0);

    /** A 1-in-3 nights rotation, 20:00–08:00 every night from Monday 23 March 2026. */
    private static final Rotation NIGHTS = new Rotation("nights", MED_REG, List.of("raj.patel", "kate.morgan",
            "sam.jones"), Rotation.EVERY_DAY, TWENTY, EIGHT, LocalDate.of(2026, 3, 23), null);
    /** Days 08:00–20:00 every day, one registrar. */
    private static final Rotation DAYS = new Rotation("days", MED_REG, List.of("lee.chan"), Rotation.EVERY_DAY,
            EIGHT, TWENTY, LocalDate.of(2026, 3, 1), null);

    private static Instant london(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(Rotation.ZONE).toInstant();
    }

    private static RotaResolver resolver(List<Shift> shifts, List<Rotation> rotations, List<RotaOverride> overrides,
            List<Leave> leave) {
        return new RotaResolver(new Rota(shifts, rotations, overrides, leave));
    }

    @Test
    void springForwardNightIs11Hours() {
        // Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
        Shift night = NIGHTS.occurrenceOn(LocalDate.of(2026, 3, 28)).orElseThrow();

        assertThat(night.startsAt()).isEqualTo(Instant.parse("2026-03-28T20:00:00Z"));
        assertThat(night.endsAt()).isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(Duration.between(night.startsAt(), night.endsAt())).isEqualTo(Duration.ofHours(11));
    }

    @Test
    void fallBackNightIs13Hours() {
        // Clocks go back at 02:00 BST on Sunday 25 October 2026.
        Shift night = NIGHTS.occurrenceOn(LocalDate.of(2026, 10, 24)).orElseThrow();

        assertThat(night.startsAt()).isEqualTo(Instant.parse("2026-10-24T19:00:00Z"));
        assertThat(night.endsAt()).isEqualTo(Instant.parse("2026-10-25T08:00:00Z"));
        assertThat(Duration.between(night.startsAt(), night.endsAt())).isEqualTo(Duration.ofHours(13));
    }

    @Test
    void anHourTheClocksSkipIsNobodysShiftAndTheRotaStillAnswers() {
        // 01:00–02:00 on Sunday 29 March 2026 does not happen: the clocks go from 01:00 GMT to 02:00 BST.
        Rotation earlyHour = new Rotation("early", MED_REG, List.of("lee.chan", "raj.patel"), Rotation.EVERY_DAY,
                LocalTime.of(1, 0), LocalTime.of(2, 0), LocalDate.of(2026, 3, 27), null);
        Rotation rest = new Rotation("rest", MED_REG, List.of("kate.morgan"), Rotation.EVERY_DAY,
                LocalTime.of(2, 0), LocalTime.of(1, 0), LocalDate.of(2026, 3, 26), null);
        RotaResolver rota = resolver(List.of(), List.of(earlyHour, rest), List.of(), List.of());

        assertThat(earlyHour.occurrenceOn(LocalDate.of(2026, 3, 29))).isEmpty();
        assertThat(rota.gaps(london("2026-03-28T00:00"), london("2026-03-31T00:00"))).isEmpty();
        assertThat(rota.holdersOf(MED_REG, Instant.parse("2026-03-29T01:00:00Z"))).containsExactly("kate.morgan");
        // lee.chan (27th), raj.patel (28th), lee.chan's turn the hour that did not happen (29th), then raj.patel.
        assertThat(rota.holdersOf(MED_REG, london("2026-03-30T01:30"))).containsExactly("raj.patel");
    }

    @Test
    void handoverAcrossBothClockChangesLeavesNoGap() {
        RotaResolver rota = resolver(List.of(), List.of(NIGHTS, DAYS), List.of(), List.of());

        assertThat(rota.gaps(london("2026-03-27T00:00"), london("2026-04-01T00:00"))).isEmpty();
        assertThat(rota.gaps(london("2026-10-23T00:00"), london("2026-10-28T00:00"))).isEmpty();
        assertThat(rota.holdersOf(MED_REG, london("2026-03-29T08:00"))).containsExactly("lee.chan");
        assertThat(rota.holdersOf(MED_REG, london("2026-03-29T08:00").minusNanos(1))).hasSize(1);
    }

    @Test
    void oneInNNightsRotationGivesEachNightToTheNextPersonInTurn() {
        RotaResolver rota = resolver(List.of(), List.of(NIGHTS), List.of(), List.of());

        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T23:00"))).containsExactly("raj.patel");
        assertThat(rota.holdersOf(MED_REG, london("2026-03-25T03:00"))).containsExactly("kate.morgan");
        assertThat(rota.holdersOf(MED_REG, london("2026-03-25T21:00"))).containsExactly("sam.jones");
        assertThat(rota.holdersOf(MED_REG, london("2026-03-26T21:00"))).containsExactly("raj.patel");
        assertThat(rota.holdersOf(MED_REG, london("2026-03-26T12:00"))).isEmpty();
    }

    @Test
    void weekdayDaysRotationCoversWeekdaysOnly() {
        Rotation weekdays = new Rotation("wd", MED_SHO, List.of("amira.khan"), Rotation.WEEKDAYS, EIGHT,
                LocalTime.of(17, 0), LocalDate.of(2026, 1, 5), null);
        RotaResolver rota = resolver(List.of(), List.of(weekdays), List.of(), List.of());

        assertThat(rota.holdersOf(MED_SHO, london("2026-11-27T08:00"))).containsExactly("amira.khan"); // Friday
        assertThat(rota.holdersOf(MED_SHO, london("2026-11-27T17:00"))).isEmpty();
        assertThat(rota.holdersOf(MED_SHO, london("2026-11-28T10:00"))).isEmpty(); // Saturday
    }

    @Test
    void weekendLongDaysAlternateBetweenTheirStaffDayByDay() {
        Rotation weekends = new Rotation("we", MED_SHO, List.of("amira.khan", "dan.wright"), Rotation.WEEKENDS,
                LocalTime.of(8, 0), LocalTime.of(20, 30), LocalDate.of(2026, 11, 7), LocalDate.of(2026, 11, 30));
        RotaResolver rota = resolver(List.of(), List.of(weekends), List.of(), List.of());

        assertThat(rota.holdersOf(MED_SHO, london("2026-11-28T20:00"))).containsExactly("amira.khan"); // 5th
        assertThat(rota.holdersOf(MED_SHO, london("2026-11-29T09:00"))).containsExactly("dan.wright"); // 6th
        assertThat(rota.holdersOf(MED_SHO, london("2026-11-27T12:00"))).isEmpty(); // Friday
        assertThat(rota.holdersOf(MED_SHO, london("2026-12-05T12:00"))).isEmpty(); // after its end date
    }

    @Test
    void aRotationIsExpandedOnlyForTheWindowAskedFor() {
        List<Shift> week = NIGHTS.expand(london("2026-03-30T00:00"), london("2026-04-06T00:00"));

        assertThat(week).hasSize(8); // Sunday 29th's night runs into Monday, then seven more
        assertThat(week.get(0).startsAt()).isEqualTo(london("2026-03-29T20:00"));
    }

    @Test
    void leaveRemovesHolder() {
        Leave away = new Leave("raj.patel", london("2026-03-23T00:00"), london("2026-03-24T12:00"));
        RotaResolver rota = resolver(List.of(), List.of(NIGHTS), List.of(), List.of(away));

        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T23:00"))).isEmpty();
        assertThat(rota.onLeave("raj.patel", london("2026-03-23T23:00"))).isTrue();
        assertThat(rota.shiftOf(MED_REG, "raj.patel", london("2026-03-23T23:00"))).isEmpty();
        assertThat(rota.gaps(london("2026-03-23T12:00"), london("2026-03-24T12:00")))
                .containsExactly(new RotaResolver.Gap(MED_REG, london("2026-03-23T12:00"), london("2026-03-24T12:00")));
    }

    @Test
    void leaveWinsOverAnOverrideThatAddsThePerson() {
        Leave away = new Leave("lee.chan", london("2026-03-23T00:00"), london("2026-03-25T00:00"));
        RotaResolver rota = resolver(List.of(), List.of(), List.of(RotaOverride.add(MED_REG, "lee.chan",
                london("2026-03-23T00:00"), london("2026-03-30T00:00"))), List.of(away));

        assertThat(rota.holdersOf(MED_REG, london("2026-03-24T10:00"))).isEmpty();
        assertThat(rota.holdersOf(MED_REG, london("2026-03-25T10:00"))).containsExactly("lee.chan");
    }

    @Test
    void overrideReplacesHolderForThePeriod() {
        RotaOverride cover = RotaOverride.replace(MED_REG, "raj.patel", "lee.chan", london("2026-03-23T22:00"),
                london("2026-03-24T02:00"));
        RotaResolver rota = resolver(List.of(), List.of(NIGHTS), List.of(cover), List.of());

        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T21:59"))).containsExactly("raj.patel");
        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T22:00"))).containsExactly("lee.chan");
        assertThat(rota.shiftOf(MED_REG, "lee.chan", london("2026-03-24T01:00")))
                .contains(new Shift(MED_REG, "lee.chan", london("2026-03-23T22:00"), london("2026-03-24T02:00")));
        assertThat(rota.holdersOf(MED_REG, london("2026-03-24T02:00"))).containsExactly("raj.patel");
        // The replacement only stands in for the person it names.
        assertThat(rota.holdersOf(MED_REG, london("2026-03-24T23:00"))).containsExactly("kate.morgan");
    }

    @Test
    void overrideAddsASecondHolderForThePeriod() {
        RotaResolver rota = resolver(List.of(), List.of(NIGHTS), List.of(RotaOverride.add(MED_REG, "lee.chan",
                london("2026-03-23T20:00"), london("2026-03-23T23:00"))), List.of());

        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T21:00"))).containsExactly("raj.patel", "lee.chan");
        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T23:00"))).containsExactly("raj.patel");
    }

    @Test
    void overrideRemovesAHolderForThePeriodAndTheGapIsVisible() {
        RotaResolver rota = resolver(List.of(), List.of(NIGHTS), List.of(RotaOverride.remove(MED_REG, "raj.patel",
                london("2026-03-23T20:00"), london("2026-03-23T23:00"))), List.of());

        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T21:00"))).isEmpty();
        assertThat(rota.gaps(london("2026-03-23T20:00"), london("2026-03-24T08:00")))
                .containsExactly(new RotaResolver.Gap(MED_REG, london("2026-03-23T20:00"), london("2026-03-23T23:00")));
    }

    @Test
    void explicitShiftsAndRotationsBothCount() {
        Shift extra = new Shift(MED_REG, "lee.chan", london("2026-03-23T19:00"), london("2026-03-23T21:00"));
        RotaResolver rota = resolver(List.of(extra), List.of(NIGHTS), List.of(), List.of());

        assertThat(rota.holdersOf(MED_REG, london("2026-03-23T20:30"))).containsExactly("lee.chan", "raj.patel");
    }

    @Test
    void badRotationsAndOverridesAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Rotation("x", MED_REG, List.of(),
                Rotation.EVERY_DAY, EIGHT, TWENTY, LocalDate.of(2026, 1, 1), null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Rotation("x", MED_REG, List.of("a"),
                Set.<DayOfWeek>of(), EIGHT, TWENTY, LocalDate.of(2026, 1, 1), null));
        assertThatIllegalArgumentException().isThrownBy(() -> RotaOverride.replace(MED_REG, "a", null,
                london("2026-03-23T20:00"), london("2026-03-23T23:00")));
        assertThatIllegalArgumentException().isThrownBy(() -> new Leave("a", london("2026-03-23T20:00"),
                london("2026-03-23T20:00")));
    }

    @Test
    void swapAcceptedChangesHolder() {
        Swap asked = Swap.request(MED_REG, "raj.patel", "lee.chan", london("2026-03-23T20:00"),
                london("2026-03-24T08:00"));
        RotaResolver requested = resolver(List.of(), List.of(NIGHTS), List.of(), List.of());

        assertThat(requested.holdersOf(MED_REG, london("2026-03-23T23:00"))).containsExactly("raj.patel");

        Swap accepted = asked.acceptedBy("lee.chan");
        RotaResolver swapped = resolver(List.of(), List.of(NIGHTS), List.of(accepted.asOverride()), List.of());

        assertThat(accepted.status()).isEqualTo(Swap.Status.ACCEPTED);
        assertThat(swapped.holdersOf(MED_REG, london("2026-03-23T23:00"))).containsExactly("lee.chan");
        assertThat(swapped.holdersOf(MED_REG, london("2026-03-24T23:00"))).containsExactly("kate.morgan");
    }

    @Test
    void onlyTheOtherPersonAnswersASwapAndOnlyOnce() {
        Swap asked = Swap.request(MED_REG, "raj.patel", "lee.chan", london("2026-03-23T20:00"),
                london("2026-03-24T08:00"));

        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> asked.acceptedBy("raj.patel"));
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> asked.declinedBy("lee.chan")
                .acceptedBy("lee.chan"));
        assertThatIllegalArgumentException().isThrownBy(() -> Swap.request(MED_REG, "raj.patel", "raj.patel",
                london("2026-03-23T20:00"), london("2026-03-24T08:00")));
    }
}
