package org.pagerless.escalation.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.EscalationStep;
import org.pagerless.task.model.Reached;
import org.pagerless.task.model.ResolvedStep;
import org.pagerless.task.model.StepTarget;

/** A chain's steps are resolved through the rota at the instant they are entered. */
class StepResolverTest {
    static final Instant NINE_AM = MedicineOnCall.NINE_AM;
    static final Instant NINE_PM = MedicineOnCall.NINE_PM;

    final StepResolver resolver = new StepResolver(MedicineOnCall.HOSPITAL, MedicineOnCall.DUTIES);

    @Test
    void eachStepIsResolvedToWhoeverHoldsItsRolesAtThatInstant() {
        EscalationPolicy chain = MedicineOnCall.shoChain();

        List<ResolvedStep> byDay = resolver.steps(chain, Target.role("med-sho-oncall"), "7B", NINE_AM);
        assertThat(byDay).extracting(ResolvedStep::holders).containsExactly(List.of("amira.khan", "dan.wright"),
                List.of("kate.morgan", "grace.okafor"), List.of("sam.patel"));
        assertThat(resolver.steps(chain, Target.role("med-sho-oncall"), "7B", NINE_AM.plusSeconds(600)).get(0).holders())
                .containsExactly("amira.khan", "dan.wright", "liam.murphy");

        List<ResolvedStep> byNight = resolver.steps(chain, Target.role("med-sho-oncall"), "7B", NINE_PM);
        assertThat(byNight).extracting(ResolvedStep::holders).containsExactly(List.of("noah.green"), List.of(),
                List.of("ian.ross", "sam.patel"));
        assertThat(byNight.get(1).reached()).extracting(Reached::roleId).containsExactly("med-reg-oncall", "nic-7b");
        assertThat(byNight.get(1).reached()).allMatch(Reached::isVacantRole);
    }

    @Test
    void theWardNurseInChargeDoesNotApplyToATaskWithNoWard() {
        EscalationPolicy chain = MedicineOnCall.shoChain();
        Reached nic = resolver.steps(chain, Target.role("med-sho-oncall"), null, NINE_AM).get(1).reached().get(1);
        assertThat(nic.roleId()).isNull();
        assertThat(nic.isVacantRole()).isFalse();
        assertThat(resolver.nurseInCharge(null, NINE_AM)).isEmpty();
        assertThat(resolver.nurseInCharge("7B", NINE_AM)).containsExactly("grace.okafor");
        assertThat(resolver.switchboard(NINE_AM)).containsExactly("sam.patel");
    }

    @Test
    void aNamedPersonIsReachedWhetherOrNotOnShiftAndAnAddresseePersonIsThatPerson() {
        EscalationPolicy chain = EscalationPolicy.of("p", "Named", EscalationStep.of("Dr Morgan", 0,
                StepTarget.person("kate.morgan"), StepTarget.addressee(), StepTarget.switchboard()));
        ResolvedStep step = resolver.steps(chain, Target.person("amira.khan"), null, NINE_PM).get(0);
        assertThat(step.holders()).containsExactly("kate.morgan", "amira.khan", "sam.patel");
        assertThat(step.reached().get(0).roleId()).isNull();
    }

    @Test
    void anUnknownPersonIsReachedByNobody() {
        EscalationPolicy chain = EscalationPolicy.of("p", "Named", EscalationStep.of("Locum", 0,
                StepTarget.person("left.last.year"), StepTarget.switchboard()));
        assertThat(resolver.steps(chain, Target.role("med-sho-oncall"), null, NINE_AM).get(0).holders())
                .containsExactly("sam.patel");
    }
}
