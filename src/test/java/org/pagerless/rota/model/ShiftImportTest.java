package org.pagerless.rota.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading the rota CSV format, and the stints a calendar feed shows after overrides and leave. */
class ShiftImportTest {

    private static final Hospital HOSPITAL = new Hospital(List.of(new Ward("7B", "7B", List.of("med-reg-oncall"))),
            List.of(new Role("med-reg-oncall", "Medical Registrar On-Call", "medicine", "2320"),
                    new Role("derm-reg", "Dermatology Registrar", "dermatology", "2330")),
            List.of(new Staff("kate.morgan", "Dr Kate Morgan", "Registrar", "clinician"),
                    new Staff("raj.patel", "Dr Raj Patel", "Registrar", "clinician")),
            List.of());

    @Test
    void csvTimesAreLondonWallClockAcrossTheMarchChange() {
        ShiftImport read = ShiftCsv.read("""
                role,staff,start,end
                med-reg-oncall,kate.morgan,2026-03-28 20:00,2026-03-29 08:00
                Medical Registrar On-Call,raj.patel,2026-03-29T08:00,2026-03-29T20:00
                "2330","kate.morgan",2026-01-10 09:00,2026-01-10 17:00
                """, HOSPITAL);

        assertThat(read.problems()).isEmpty();
        assertThat(read.shifts()).extracting(ShiftImport.Row::line).containsExactly(2, 3, 4);
        Shift night = read.shifts().get(0).shift();
        assertThat(night.startsAt()).isEqualTo(Instant.parse("2026-03-28T20:00:00Z"));
        assertThat(night.endsAt()).isEqualTo(Instant.parse("2026-03-29T07:00:00Z")); // 08:00 BST: an 11-hour night
        assertThat(read.shifts().get(1).shift().roleId()).isEqualTo("med-reg-oncall");
        assertThat(read.shifts().get(2).shift()).isEqualTo(new Shift("derm-reg", "kate.morgan",
                Instant.parse("2026-01-10T09:00:00Z"), Instant.parse("2026-01-10T17:00:00Z")));
    }

    @Test
    void everyMalformedRowIsReportedWithItsLineAndField() {
        ShiftImport read = ShiftCsv.read("""
                role,staff,start,end
                med-reg-oncall,kate.morgan,2026-03-28 20:00,2026-03-29 08:00

                wizard-oncall,nobody.here,2026-03-28 20:00,2026-03-29 08:00
                med-reg-oncall,kate.morgan,2026-03-29 01:30,2026-03-29 08:00
                med-reg-oncall,kate.morgan,2026-03-29 20:00,2026-03-29 08:00
                med-reg-oncall,kate.morgan,yesterday
                med-reg-oncall,raj.patel,2026-04-01 08:00,2026-05-01 08:00
                """, HOSPITAL);

        assertThat(read.isValid()).isFalse();
        assertThat(read.problems()).extracting(p -> p.line() + ":" + p.field()).containsExactly(
                "4:role", "4:staff", "5:start", "6:end", "7:line", "8:end");
        assertThat(read.problems().get(2).reason()).contains("does not exist in Europe/London");
        assertThat(read.problems().get(3).reason()).isEqualTo("must be after the start");
    }

    @Test
    void theHeaderMustNameTheFourColumns() {
        assertThat(ShiftCsv.read("who,when\nkate.morgan,today\n", HOSPITAL).problems())
                .containsExactly(new ShiftImport.LineProblem(1, "header", "must be exactly role,staff,start,end"));
        assertThat(ShiftCsv.read("", HOSPITAL).problems()).extracting(ShiftImport.LineProblem::field)
                .containsExactly("header");
    }

    @Test
    void anOffsetSettlesTheOctoberHourThatOccursTwice() {
        ShiftImport read = ShiftCsv.read("""
                role,staff,start,end
                med-reg-oncall,kate.morgan,2026-10-24 20:00,2026-10-25T01:30+00:00
                """, HOSPITAL);
        assertThat(read.shifts().get(0).shift().endsAt()).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    }

    @Test
    void heldStintsAreSplitByLeaveAndReplacedByOverrides() {
        Instant from = Instant.parse("2026-01-05T00:00:00Z");
        Instant to = Instant.parse("2026-01-07T00:00:00Z");
        Rotation days = new Rotation("r1", "med-reg-oncall", List.of("kate.morgan"), EnumSet.allOf(DayOfWeek.class),
                LocalTime.of(9, 0), LocalTime.of(17, 0), LocalDate.of(2026, 1, 1), null);
        Leave dentist = new Leave("kate.morgan", Instant.parse("2026-01-05T12:00:00Z"),
                Instant.parse("2026-01-05T13:00:00Z"));
        RotaOverride raj = RotaOverride.replace("med-reg-oncall", "kate.morgan", "raj.patel",
                Instant.parse("2026-01-06T09:00:00Z"), Instant.parse("2026-01-06T17:00:00Z"));
        RotaResolver rota = new RotaResolver(new Rota(List.of(), List.of(days), List.of(raj), List.of(dentist)));

        assertThat(rota.heldBetween("med-reg-oncall", from, to)).containsExactly(
                new Shift("med-reg-oncall", "kate.morgan", Instant.parse("2026-01-05T09:00:00Z"),
                        Instant.parse("2026-01-05T12:00:00Z")),
                new Shift("med-reg-oncall", "kate.morgan", Instant.parse("2026-01-05T13:00:00Z"),
                        Instant.parse("2026-01-05T17:00:00Z")),
                new Shift("med-reg-oncall", "raj.patel", Instant.parse("2026-01-06T09:00:00Z"),
                        Instant.parse("2026-01-06T17:00:00Z")));
    }

    @Test
    void overlappingHandoverShiftsStayOneStintEach() {
        Shift day = new Shift("med-reg-oncall", "kate.morgan", Instant.parse("2026-01-05T08:00:00Z"),
                Instant.parse("2026-01-05T20:30:00Z"));
        Shift night = new Shift("med-reg-oncall", "raj.patel", Instant.parse("2026-01-05T20:00:00Z"),
                Instant.parse("2026-01-06T08:30:00Z"));
        RotaResolver rota = new RotaResolver(List.of(day, night));

        assertThat(rota.heldBetween("med-reg-oncall", Instant.parse("2026-01-05T00:00:00Z"),
                Instant.parse("2026-01-07T00:00:00Z"))).containsExactly(day, night);
    }
}
