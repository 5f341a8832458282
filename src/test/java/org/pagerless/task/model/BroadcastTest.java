package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.task.model.Tasks.NOW;
import static org.pagerless.task.model.Tasks.SWITCHBOARD;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.Task.Acknowledgement;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.AcknowledgeBroadcast;
import org.pagerless.task.model.TaskCommand.RaiseTask;
import org.pagerless.task.model.TaskCommand.RealertMissing;
import org.pagerless.task.model.TaskEvent.BroadcastAcknowledged;
import org.pagerless.task.model.TaskEvent.BroadcastRealerted;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskEvent.Rejection;
import org.pagerless.task.model.TaskEvent.TaskOffered;

/** A 2222 broadcast to the crash team: offered to every member at once, and each acknowledges (the roll-call). */
class BroadcastTest {
    static final UUID ID = UUID.fromString("6a1f3c1e-0000-4000-8000-000000002222");
    static final List<String> CRASH_TEAM = List.of("kate.morgan", "amira.khan", "chris.tan", "ruth.ali", "hana.begum");
    static final Instant ONE_MIN = NOW.plus(Duration.ofMinutes(1));
    static final Instant TWO_MIN = NOW.plus(Duration.ofMinutes(2));

    static Task raised() {
        RaiseTask raise = new RaiseTask(UUID.randomUUID(), ID, SWITCHBOARD, TaskKind.BROADCAST, Priority.STAT, false,
                Target.team("crash"), TaskDetails.bleep(null, "2222 adult cardiac arrest, Ward 7A bed 12"));
        return Task.decide(null, raise, new OfferContext(CRASH_TEAM), NOW).task();
    }

    static Decision ack(Task task, String who, Instant at) {
        return Task.decide(task, new AcknowledgeBroadcast(UUID.randomUUID(), ID, who), OfferContext.NONE, at);
    }

    @Test
    void aBroadcastIsOfferedToEveryMemberAtOnceAndNeverArmsATimer() {
        RaiseTask raise = new RaiseTask(UUID.randomUUID(), ID, SWITCHBOARD, TaskKind.BROADCAST, Priority.STAT, false,
                Target.team("crash"), TaskDetails.bleep(null, "2222"));
        Decision d = Task.decide(null, raise, new OfferContext(CRASH_TEAM), NOW);
        assertThat(d.events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(TaskOffered.class,
                o -> assertThat(o.offeredTo()).containsExactlyElementsOf(CRASH_TEAM)));
        assertThat(d.task().timer()).isNull();
        assertThat(d.task().escalates()).isFalse();
        assertThat(d.task().rollCall().missing()).containsExactlyElementsOf(CRASH_TEAM);
        assertThat(d.task().rollCall().acknowledged()).isEmpty();
    }

    @Test
    void manyMembersAcknowledgeAndTheRollCallListsWhoHasAndWhoHasNotWithTimes() {
        Decision first = ack(raised(), "kate.morgan", ONE_MIN);
        Decision second = ack(first.task(), "chris.tan", TWO_MIN);

        assertThat(first.events()).singleElement().isInstanceOf(BroadcastAcknowledged.class);
        assertThat(second.events()).singleElement().isInstanceOf(BroadcastAcknowledged.class);
        Task.RollCall roll = second.task().rollCall();
        assertThat(roll.acknowledged()).containsExactly(new Acknowledgement("kate.morgan", ONE_MIN),
                new Acknowledgement("chris.tan", TWO_MIN));
        assertThat(roll.missing()).containsExactly("amira.khan", "ruth.ali", "hana.begum");
        assertThat(roll.lastAlertedAt()).isEqualTo(NOW);
        assertThat(second.task().status()).isEqualTo(TaskStatus.OFFERED);
        assertThat(second.task().owner()).isNull();
    }

    @Test
    void onlyMembersMayAcknowledge() {
        Task task = raised();
        Decision d = ack(task, "tom.reid", ONE_MIN);
        assertThat(d.rejected()).isTrue();
        assertThat(((CommandRejected) d.events().get(0)).rejection()).isEqualTo(Rejection.NOT_OFFERED);
        assertThat(d.task()).isSameAs(task);
    }

    @Test
    void acknowledgingTwiceIsANoOp() {
        Task once = ack(raised(), "kate.morgan", ONE_MIN).task();
        Decision again = ack(once, "kate.morgan", TWO_MIN);
        assertThat(again.ignored()).isTrue();
        assertThat(again.task()).isSameAs(once);
        assertThat(again.task().rollCall().acknowledged()).containsExactly(new Acknowledgement("kate.morgan", ONE_MIN));
    }

    @Test
    void aBroadcastIsNotAcceptedLikeATask() {
        Decision d = Task.decide(raised(), new AcceptTask(UUID.randomUUID(), ID, "kate.morgan"), OfferContext.NONE,
                ONE_MIN);
        assertThat(d.rejected()).isTrue();
    }

    @Test
    void reAlertingOffersAgainOnlyToThoseMissing() {
        Task task = ack(ack(raised(), "kate.morgan", ONE_MIN).task(), "chris.tan", ONE_MIN).task();
        Decision d = Task.decide(task, new RealertMissing(UUID.randomUUID(), ID, SWITCHBOARD, true), OfferContext.NONE,
                TWO_MIN);
        assertThat(d.events()).singleElement().isInstanceOfSatisfying(BroadcastRealerted.class,
                r -> assertThat(r.offeredTo()).containsExactly("amira.khan", "ruth.ali", "hana.begum"));
        assertThat(d.task().rollCall().lastAlertedAt()).isEqualTo(TWO_MIN);
        assertThat(d.task().rollCall().acknowledged()).hasSize(2);
    }

    @Test
    void onlyASupervisorMayReAlertAndNotWhenEveryoneHasAnswered() {
        Task task = raised();
        assertThat(Task.decide(task, new RealertMissing(UUID.randomUUID(), ID, "kate.morgan", false),
                OfferContext.NONE, TWO_MIN).rejected()).isTrue();
        for (String who : CRASH_TEAM) {
            task = ack(task, who, ONE_MIN).task();
        }
        assertThat(task.rollCall().missing()).isEmpty();
        assertThat(Task.decide(task, new RealertMissing(UUID.randomUUID(), ID, SWITCHBOARD, true),
                OfferContext.NONE, TWO_MIN).rejected()).isTrue();
    }
}
