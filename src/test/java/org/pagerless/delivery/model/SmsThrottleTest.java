package org.pagerless.delivery.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.delivery.model.SmsThrottle.Due;
import org.pagerless.delivery.model.SmsThrottle.Plan;

/** At most one text per number per window; several due together are bundled; stat is never held or bundled. */
class SmsThrottleTest {
    static final Instant TWO_AM = Instant.parse("2026-01-14T02:00:00Z");
    static final String DR_BERG = "+447700900101";
    static final String DR_TAN = "+447700900102";
    final SmsThrottle throttle = new SmsThrottle(Duration.ofSeconds(30));

    @Test
    void oneTextForANumberNotTextedLatelyGoesAtOnce() {
        Due page = due(DR_BERG, "urgent", 0);
        Plan plan = throttle.plan(List.of(page), never(), TWO_AM);
        assertThat(plan.send()).containsExactly(new SmsThrottle.Text(DR_BERG, List.of(page)));
        assertThat(plan.held()).isEmpty();
    }

    @Test
    void threePagesDueTogetherForOneDoctorAreOneTextListingThemInDueOrder() {
        Due first = due(DR_BERG, "urgent", -3);
        Due second = due(DR_BERG, "routine", -2);
        Due third = due(DR_BERG, "asap", -1);
        Plan plan = throttle.plan(List.of(third, first, second), never(), TWO_AM);
        assertThat(plan.send()).hasSize(1);
        assertThat(plan.send().get(0).bundled()).isTrue();
        assertThat(plan.send().get(0).pages()).containsExactly(first, second, third);
    }

    @Test
    void aNumberTextedInsideTheWindowWaitsForItToEndNothingIsDropped() {
        Due page = due(DR_BERG, "urgent", 0);
        Plan plan = throttle.plan(List.of(page), at(TWO_AM.minusSeconds(10)), TWO_AM);
        assertThat(plan.send()).isEmpty();
        assertThat(plan.held()).containsExactly(new SmsThrottle.Held(page, TWO_AM.plusSeconds(20)));
        assertThat(throttle.plan(List.of(page), at(TWO_AM.minusSeconds(30)), TWO_AM).send()).hasSize(1);
    }

    @Test
    void statIsNeverHeldNorBundledAndTheOthersWaitBehindIt() {
        Due urgent = due(DR_BERG, "urgent", -5);
        Due stat = due(DR_BERG, "stat", -1);
        Due anotherStat = due(DR_BERG, "stat", 0);
        Plan plan = throttle.plan(List.of(urgent, stat, anotherStat), at(TWO_AM.minusSeconds(5)), TWO_AM);
        assertThat(plan.send()).containsExactly(new SmsThrottle.Text(DR_BERG, List.of(stat)),
                new SmsThrottle.Text(DR_BERG, List.of(anotherStat)));
        // The stat texts went now: the window starts again from them.
        assertThat(plan.held()).containsExactly(new SmsThrottle.Held(urgent, TWO_AM.plusSeconds(30)));

        Plan alone = throttle.plan(List.of(urgent, stat), never(), TWO_AM);
        assertThat(alone.send()).containsExactly(new SmsThrottle.Text(DR_BERG, List.of(stat)));
        assertThat(alone.held()).containsExactly(new SmsThrottle.Held(urgent, TWO_AM.plusSeconds(30)));
    }

    @Test
    void eachNumberHasItsOwnWindow() {
        Due berg = due(DR_BERG, "urgent", 0);
        Due tan = due(DR_TAN, "urgent", 0);
        Plan plan = throttle.plan(List.of(berg, tan), n -> n.equals(DR_BERG) ? Optional.of(TWO_AM) : Optional.empty(),
                TWO_AM);
        assertThat(plan.send()).containsExactly(new SmsThrottle.Text(DR_TAN, List.of(tan)));
        assertThat(plan.held()).extracting(SmsThrottle.Held::page).containsExactly(berg);
    }

    @Test
    void aBundleListsAtMostSixAndTheRestWaitForTheNextWindow() {
        List<Due> many = java.util.stream.IntStream.range(0, 8).mapToObj(i -> due(DR_BERG, "routine", i - 8)).toList();
        Plan plan = throttle.plan(many, never(), TWO_AM);
        assertThat(plan.send()).hasSize(1);
        assertThat(plan.send().get(0).pages()).containsExactlyElementsOf(many.subList(0, SmsThrottle.MAX_BUNDLE));
        assertThat(plan.held()).extracting(SmsThrottle.Held::until).containsOnly(TWO_AM.plusSeconds(30));
        assertThat(plan.held()).hasSize(2);
    }

    @Test
    void aLastTextInTheFutureClockSkewNeverDelaysAPage() {
        Due page = due(DR_BERG, "urgent", 0);
        assertThat(throttle.plan(List.of(page), at(TWO_AM.plusSeconds(120)), TWO_AM).send()).hasSize(1);
    }

    @Test
    void aZeroWindowTurnsTheLimitOffButStillBundlesWhatIsDueTogether() {
        SmsThrottle off = new SmsThrottle(Duration.ZERO);
        Due a = due(DR_BERG, "urgent", -1);
        Due b = due(DR_BERG, "urgent", 0);
        assertThat(off.plan(List.of(a, b), at(TWO_AM), TWO_AM).send()).containsExactly(
                new SmsThrottle.Text(DR_BERG, List.of(a, b)));
    }

    @Test
    void aBundledTextNamesEachPageByPriorityKindWardAndRefAndHowToAnswer() {
        String text = PageText.bundle(List.of(new PageText.Line("urgent", false, "TASK", "7B", "3F2A9C"),
                new PageText.Line("routine", false, "BLEEP", null, "11B0C2"),
                new PageText.Line("asap", false, "TASK", "AMU", "0D4E11")));
        assertThat(text).isEqualTo("3 Pagerless pages: URGENT task Ward 7B ref 3F2A9C; ROUTINE bleep ref 11B0C2; "
                + "ASAP task Ward AMU ref 0D4E11. Reply the ref then 1 accept, 2 decline, 3 pass up (e.g. 3F2A9C 1). "
                + "Details in the Pagerless app.");
    }

    private static Due due(String phone, String priority, int secondsFromTwoAm) {
        return new Due(UUID.randomUUID(), phone, priority, TWO_AM.plusSeconds(secondsFromTwoAm));
    }

    private static java.util.function.Function<String, Optional<Instant>> never() {
        return n -> Optional.empty();
    }

    private static java.util.function.Function<String, Optional<Instant>> at(Instant last) {
        return n -> Optional.of(last);
    }

}
