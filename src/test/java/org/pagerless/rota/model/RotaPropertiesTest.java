package org.pagerless.rota.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties over random rotas: leave always wins, and a fully covered week has a holder at every instant. */
class RotaPropertiesTest {

    private static final List<String> STAFF = List.of("a", "b", "c", "d", "e", "f");
    private static final List<String> ROLES = List.of("reg", "sho");
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final long YEAR_MINUTES = 366L * 24 * 60;

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, YEAR_MINUTES).map(m -> BASE.plusSeconds(60 * m));
    }

    private static Arbitrary<String> staff() {
        return Arbitraries.of(STAFF);
    }

    private static Arbitrary<Integer> minutes() {
        return Arbitraries.integers().between(1, 3 * 24 * 60);
    }

    @Provide
    Arbitrary<Rota> rotas() {
        Arbitrary<Shift> shifts = Combinators.combine(Arbitraries.of(ROLES), staff(), instants(), minutes())
                .as((role, who, from, len) -> new Shift(role, who, from, from.plusSeconds(60L * len)));
        Arbitrary<Leave> leave = Combinators.combine(staff(), instants(), minutes())
                .as((who, from, len) -> new Leave(who, from, from.plusSeconds(60L * len)));
        Arbitrary<RotaOverride> overrides = Combinators.combine(Arbitraries.of(ROLES),
                Arbitraries.of(RotaOverride.Kind.class), staff(), staff(), instants(), minutes())
                .as((role, kind, who, whom, from, len) -> new RotaOverride(role, kind,
                        kind == RotaOverride.Kind.REMOVE ? null : who, kind == RotaOverride.Kind.ADD ? null : whom,
                        from, from.plusSeconds(60L * len)));
        Arbitrary<Rotation> rotations = Combinators.combine(Arbitraries.of(ROLES), staff().list().ofMinSize(1)
                .ofMaxSize(6), Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 23),
                Arbitraries.integers().between(0, 365))
                .as((role, who, start, end, day) -> new Rotation("r", role, who, Rotation.EVERY_DAY,
                        LocalTime.of(start, 0), LocalTime.of(end, 30), LocalDate.of(2026, 1, 1).plusDays(day), null));
        return Combinators.combine(shifts.list().ofMaxSize(20), rotations.list().ofMaxSize(3),
                overrides.list().ofMaxSize(10), leave.list().ofMaxSize(10)).as(Rota::new);
    }

    @Property(tries = 300)
    void theResolverNeverReturnsSomeoneOnLeave(@ForAll("rotas") Rota rota, @ForAll("probes") List<Instant> probes) {
        RotaResolver resolver = new RotaResolver(rota);
        List<Instant> at = new ArrayList<>(probes);
        rota.leave().forEach(l -> at.addAll(List.of(l.startsAt(), l.endsAt().minusNanos(1))));
        for (Instant instant : at) {
            for (String role : ROLES) {
                for (String holder : resolver.holdersOf(role, instant)) {
                    assertThat(rota.leave()).noneMatch(l -> l.staffId().equals(holder) && l.covers(instant));
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Instant>> probes() {
        return instants().list().ofMinSize(1).ofMaxSize(30);
    }

    /**
     * A day rotation and a night rotation handing over at the same local time, each over its own staff, cover
     * every instant of any week of the year, whatever the hand-over hour and however the clocks change.
     */
    @Property(tries = 200)
    void everyInstantOfAFullyCoveredWeekHasAHolder(@ForAll @IntRange(min = 0, max = 23) int handover,
            @ForAll @IntRange(min = 1, max = 11) int dayHours, @ForAll @IntRange(min = 0, max = 358) int startDay,
            @ForAll @IntRange(min = 1, max = 6) int inN, @ForAll("weekOffsets") List<Long> offsets) {
        LocalTime dayStarts = LocalTime.of(handover, 0);
        LocalTime nightStarts = dayStarts.plusHours(dayHours);
        LocalDate from = LocalDate.of(2026, 1, 1).plusDays(startDay);
        Rotation days = new Rotation("d", "reg", List.of("a"), Rotation.EVERY_DAY, dayStarts, nightStarts,
                from.minusDays(2), null);
        Rotation nights = new Rotation("n", "reg", STAFF.subList(0, inN), Rotation.EVERY_DAY, nightStarts,
                dayStarts, from.minusDays(2), null);
        RotaResolver resolver = new RotaResolver(new Rota(List.of(), List.of(days, nights), List.of(), List.of()));
        Instant weekStarts = from.atStartOfDay(Rotation.ZONE).toInstant();
        Instant weekEnds = from.plusDays(7).atStartOfDay(Rotation.ZONE).toInstant();

        assertThat(resolver.gaps(weekStarts, weekEnds)).isEmpty();
        for (long offset : offsets) {
            Instant at = weekStarts.plusMillis(offset);
            if (at.isBefore(weekEnds)) {
                assertThat(resolver.holdersOf("reg", at)).as("holders at %s", at).isNotEmpty();
            }
        }
        for (Shift s : resolver.scheduledBetween("reg", weekStarts, weekEnds)) {
            assertThat(resolver.holdersOf("reg", s.endsAt().minusNanos(1))).isNotEmpty();
            assertThat(resolver.holdersOf("reg", s.endsAt())).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<List<Long>> weekOffsets() {
        return Arbitraries.longs().between(0, 7L * 24 * 3600 * 1000).list().ofMinSize(1).ofMaxSize(50);
    }
}
