package org.pagerless.escalation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.escalation.model.MedicineOnCall.EIGHT_PM;
import static org.pagerless.escalation.model.MedicineOnCall.HOSPITAL;
import static org.pagerless.escalation.model.MedicineOnCall.NINE_AM;
import static org.pagerless.escalation.model.MedicineOnCall.NINE_PM;
import static org.pagerless.escalation.model.MedicineOnCall.SHO;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pagerless.escalation.model.Handover.Departure;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Leave;
import org.pagerless.rota.model.Rota;
import org.pagerless.rota.model.RotaOverride;
import org.pagerless.rota.model.Shift;

/** Who must hand over, found from the rota alone: shifts ending, overrides, leave. */
class HandoverDeparturesTest {

    @Test
    void theDaySHOsLeaveAt2000AndTheNightSHOAt0800() {
        assertThat(Handover.departures(HOSPITAL, SHO, NINE_AM, NINE_PM)).containsExactly(
                new Departure(SHO, "amira.khan", EIGHT_PM), new Departure(SHO, "dan.wright", EIGHT_PM),
                new Departure(SHO, "liam.murphy", EIGHT_PM));
        Instant eightAm = EIGHT_PM.plus(Duration.ofHours(12));
        assertThat(Handover.departures(HOSPITAL, SHO, NINE_PM, eightAm))
                .containsExactly(new Departure(SHO, "noah.green", eightAm));
    }

    @Test
    void aWindowEndingJustBeforeTheShiftEndsFindsNobodyAndTheNextFindsThem() {
        assertThat(Handover.departures(HOSPITAL, SHO, NINE_AM, EIGHT_PM.minusMillis(1))).isEmpty();
        assertThat(Handover.departures(HOSPITAL, SHO, EIGHT_PM.minusMillis(1), EIGHT_PM)).hasSize(3);
        // The window is open at its start: an instant already checked is never checked again.
        assertThat(Handover.departures(HOSPITAL, SHO, EIGHT_PM, NINE_PM)).isEmpty();
    }

    @Test
    void leaveStartingAndAnOverrideEndingAreDeparturesToo() {
        Instant tenAm = NINE_AM.plus(Duration.ofHours(1));
        Instant noon = NINE_AM.plus(Duration.ofHours(3));
        Rota rota = new Rota(List.of(new Shift(SHO, "amira.khan", NINE_AM.minus(Duration.ofHours(1)), EIGHT_PM)),
                List.of(), List.of(new RotaOverride(SHO, RotaOverride.Kind.ADD, "dan.wright", null, NINE_AM, noon)),
                List.of(new Leave("amira.khan", tenAm, EIGHT_PM)));
        Hospital hospital = new Hospital(HOSPITAL.wards(), HOSPITAL.roles(), HOSPITAL.allStaff(), rota);

        assertThat(Handover.departures(hospital, SHO, NINE_AM, NINE_PM)).containsExactly(
                new Departure(SHO, "amira.khan", tenAm), new Departure(SHO, "dan.wright", noon));
    }

    @Test
    void theDetectorSleepsUntilTheNextInstantTheRotaMayMoveSomeoneAndNoLonger() {
        // After 09:00 the first change on any role is Dr Murphy's SHO shift starting at 09:05, then the day shifts end.
        Instant fivePastNine = NINE_AM.plus(Duration.ofMinutes(5));
        assertThat(Handover.nextChange(HOSPITAL, NINE_AM, NINE_PM)).contains(fivePastNine);
        assertThat(Handover.nextChange(HOSPITAL, fivePastNine, NINE_PM)).contains(EIGHT_PM);
        // A window with no change in it: the detector falls back to its longest wait.
        assertThat(Handover.nextChange(HOSPITAL, NINE_AM, NINE_AM.plusSeconds(10))).isEmpty();
        // The window is open at its start, as for departures: the change just checked is not returned again.
        assertThat(Handover.nextChange(HOSPITAL, EIGHT_PM, EIGHT_PM.plusMillis(1))).isEmpty();
    }

    @Test
    void theGeneratedNoteSaysWhenInLondonTimeAndFromWhom() {
        assertThat(Handover.note(Instant.parse("2026-01-15T08:00:00Z"), "Dr Noah Green"))
                .isEqualTo("shift ended 08:00, handed over from Dr Noah Green");
        assertThat(Handover.note(Instant.parse("2026-07-15T07:00:00Z"), "Dr Noah Green"))
                .isEqualTo("shift ended 08:00, handed over from Dr Noah Green");
    }
}
