package org.pagerless.escalation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagerless.task.model.StepTarget.addressee;
import static org.pagerless.task.model.StepTarget.coordinator;
import static org.pagerless.task.model.StepTarget.person;
import static org.pagerless.task.model.StepTarget.role;
import static org.pagerless.task.model.StepTarget.switchboard;
import static org.pagerless.task.model.StepTarget.wardNurseInCharge;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.EscalationStep;
import org.pagerless.task.model.StepTarget;
import org.pagerless.task.model.Timeouts;
import org.pagerless.task.model.PolicyViolation;
import org.pagerless.task.model.InvalidPolicy;

/** What makes a chain safe to use: it always ends with someone whose job is to act. */
class EscalationPolicyTest {

    @Test
    void aChainEndingWithTheCoordinatorAndSwitchboardIsSound() {
        assertThat(MedicineOnCall.shoChain().violations()).isEmpty();
        assertThat(MedicineOnCall.shoChain().validate().lastLevel()).isEqualTo(3);
    }

    @Test
    void theDefaultTimeoutsAreStat2Asap5Urgent10Routine30Minutes() {
        Timeouts t = EscalationStep.of("any", 0, addressee()).acceptWithin();
        assertThat(t.of(Priority.STAT)).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.of(Priority.ASAP)).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.of(Priority.URGENT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.of(Priority.ROUTINE)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void everyPriorityHasASoundDefaultChainEndingWithTheNurseInChargeCoordinatorAndSwitchboard() {
        for (Priority p : Priority.values()) {
            EscalationPolicy policy = EscalationPolicy.defaultFor(p);
            assertThat(policy.violations()).as(p.code()).isEmpty();
            assertThat(policy.step(1).targets()).containsExactly(addressee());
            assertThat(policy.step(policy.lastLevel()).targets())
                    .containsExactly(wardNurseInCharge(), coordinator(), switchboard());
        }
        assertThat(EscalationPolicy.defaultFor(Priority.STAT).step(1).repeat()).isZero();
        assertThat(EscalationPolicy.defaultFor(Priority.ROUTINE).step(1).repeat()).isEqualTo(2);
    }

    @Test
    void aChainThatCouldEndWithNoOneIsRejectedNamingTheLastStep() {
        EscalationPolicy endsWithRegistrar = EscalationPolicy.of("med-sho-oncall", "SHO then registrar",
                EscalationStep.of("Medical SHO on call", 0, addressee()),
                EscalationStep.of("Medical registrar", 1, role("med-reg-oncall"), person("kate.morgan")));

        assertThatThrownBy(endsWithRegistrar::validate).isInstanceOf(InvalidPolicy.class)
                .satisfies(e -> assertThat(((InvalidPolicy) e).violations()).singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("steps[1].targets");
                    assertThat(v.reason()).contains("step 2 'Medical registrar'").contains("last step")
                            .contains("nurse in charge").contains("coordinator").contains("switchboard");
                }));
    }

    @Test
    void aStepWithNoTargetsIsRejectedNamingTheStep() {
        EscalationPolicy policy = EscalationPolicy.of("r", "Gap in the middle",
                EscalationStep.of("SHO", 0, addressee()),
                new EscalationStep("Nobody yet", List.of(), Timeouts.ACCEPT, 0),
                EscalationStep.of("Switchboard", 0, switchboard()));
        assertThat(policy.violations()).extracting(PolicyViolation::field, PolicyViolation::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("steps[1].targets",
                        "step 2 'Nobody yet' reaches nobody: give it at least one target"));
    }

    @Test
    void timeoutsMustBePositiveAndRepeatsBounded() {
        Timeouts zeroStat = new Timeouts(Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofMinutes(30));
        EscalationPolicy policy = new EscalationPolicy("r", "Broken", List.of(
                new EscalationStep("Addressee", List.of(addressee()), zeroStat, 10),
                new EscalationStep("Switchboard", List.of(switchboard()), Timeouts.minutes(2, 5, 10, 60 * 25), -1)),
                Timeouts.START, Timeouts.COMPLETE);
        assertThat(policy.violations()).extracting(PolicyViolation::field).containsExactly(
                "steps[0].acceptWithin.stat", "steps[0].repeat", "steps[1].acceptWithin.routine", "steps[1].repeat");
        assertThat(policy.violations().get(0).reason()).startsWith("step 1 'Addressee'");
    }

    @Test
    void anEmptyChainOrANamelessPolicyIsRejected() {
        assertThat(new EscalationPolicy("r", " ", List.of(), Timeouts.START, Timeouts.COMPLETE).violations())
                .extracting(PolicyViolation::field).containsExactly("name", "steps");
    }

    @Test
    void roleAndPersonTargetsMustNameWhoTheyMean() {
        assertThatThrownBy(() -> role(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepTarget(StepTarget.Kind.PERSON, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new StepTarget(StepTarget.Kind.SWITCHBOARD, "ignored").id()).isNull();
        assertThat(StepTarget.Kind.fromCode("ward-nurse-in-charge")).contains(StepTarget.Kind.WARD_NURSE_IN_CHARGE);
    }
}
