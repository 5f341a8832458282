package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** How a reconciliation reads Twilio's list and which text or call it adopts (the pure part of {@link Reconciliation}). */
class ReconciliationTest {
    static final Instant T = Instant.parse("2026-12-02T12:00:00Z");

    private static TwilioSms.Listed at(String sid, int seconds, String body) {
        return new TwilioSms.Listed(sid, T.plusSeconds(seconds), body);
    }

    @Test
    void theListIsReadBackToTheAttemptHoweverManyCameSinceAndStopsAPageAfterIt() {
        List<TwilioSms.Listed> newestFirst = new ArrayList<>();
        for (int i = 1000; i >= -1000; i--) { // 1,000 after the attempt, then 1,000 before it
            newestFirst.add(at("SM" + i, i, "ref X" + i));
        }
        int[] read = {0};
        Iterable<TwilioSms.Listed> counted = () -> newestFirst.stream().peek(l -> read[0]++).iterator();
        List<TwilioSms.Listed> since = TwilioSms.since(counted, T, l -> l);
        assertThat(since).hasSize(1001).first().extracting(TwilioSms.Listed::sid).isEqualTo("SM1000");
        assertThat(since.get(1000).sid()).isEqualTo("SM0");
        assertThat(read[0]).as("one page's worth past the window, no more").isEqualTo(1001 + TwilioSms.RECONCILE_PAGE);
    }

    @Test
    void moreThanItMayReadIsUnclearNeverNotThere() {
        List<TwilioSms.Listed> newestFirst = new ArrayList<>();
        for (int i = TwilioSms.RECONCILE_LIMIT + 10; i >= 0; i--) {
            newestFirst.add(at("SM" + i, i, null));
        }
        assertThatThrownBy(() -> TwilioSms.since(newestFirst, T, l -> l)).isInstanceOf(TwilioSms.Unclear.class);
    }

    @Test
    void aTextIsAdoptedByItsReferenceUnlessAnotherRowOfTheTaskRecordedIt() {
        List<TwilioSms.Listed> texts = List.of(at("SM3", 30, "STAT task, ref AAAAAA."), at("SM2", 20, "ref BBBBBB."),
                at("SM1", 10, "2 Pagerless pages: ... ref BBBBBB; ... ref CCCCCC."));
        assertThat(Reconciliation.text(texts, "BBBBBB", Set.of())).contains("SM2");
        assertThat(Reconciliation.text(texts, "BBBBBB", Set.of("SM2"))).contains("SM1");
        assertThat(Reconciliation.text(texts, "DDDDDD", Set.of())).isEmpty();
    }

    @Test
    void aCallIsOneNoRowRecordedTheFirstFromTheAttemptsStartElseTheLastBefore() {
        List<TwilioSms.Listed> calls = List.of(at("CA4", 40, null), at("CA3", 5, null), at("CA2", 1, null),
                at("CA1", -30, null));
        assertThat(Reconciliation.call(calls, T, Set.of())).contains("CA2");
        assertThat(Reconciliation.call(calls, T, Set.of("CA2"))).contains("CA3");
        assertThat(Reconciliation.call(calls, T, Set.of("CA2", "CA3", "CA4"))).as("none from the start: the last before")
                .contains("CA1");
        assertThat(Reconciliation.call(calls, T, Set.of("CA1", "CA2", "CA3", "CA4"))).isEmpty();
    }
}
