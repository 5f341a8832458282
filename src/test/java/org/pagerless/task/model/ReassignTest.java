package org.pagerless.task.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagerless.task.model.Tasks.KATE;
import static org.pagerless.task.model.Tasks.LATER;
import static org.pagerless.task.model.Tasks.NURSE_IN_CHARGE;
import static org.pagerless.task.model.Tasks.RAJ;
import static org.pagerless.task.model.Tasks.TASK_ID;
import static org.pagerless.task.model.Tasks.offeredToBothRegistrars;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pagerless.task.model.Task.Decision;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.ReassignTask;
import org.pagerless.task.model.TaskEvent.TaskReassigned;

/** A supervisor reassigns a task to another role or person: the new holders are offered it, the previous lose it. */
class ReassignTest {
    static final Target SHO = Target.role("med-sho-oncall");
    static final List<String> SHOS = List.of("amira.khan", "dan.wright");

    static Decision reassign(Task task, Target to, List<String> holders, boolean supervisor) {
        return Task.decide(task, new ReassignTask(UUID.randomUUID(), TASK_ID, NURSE_IN_CHARGE, to, supervisor),
                new OfferContext(holders), LATER);
    }

    @Test
    void theNewRolesHoldersAreOfferedItAndThePreviousOffereesLoseIt() {
        Decision d = reassign(offeredToBothRegistrars(), SHO, SHOS, true);
        assertThat(d.events()).singleElement().isInstanceOfSatisfying(TaskReassigned.class, r -> {
            assertThat(r.from()).isEqualTo(Tasks.MEDICAL_REGISTRAR);
            assertThat(r.to()).isEqualTo(SHO);
            assertThat(r.offeredTo()).containsExactlyElementsOf(SHOS);
        });
        assertThat(d.task().target()).isEqualTo(SHO);
        assertThat(d.task().offeredTo()).containsExactlyElementsOf(SHOS).doesNotContain(KATE, RAJ);
        assertThat(d.task().status()).isEqualTo(TaskStatus.OFFERED);
    }

    @Test
    void anOwnerLosesAnAcceptedTaskReassignedToAPerson() {
        Task accepted = Task.decide(offeredToBothRegistrars(), new AcceptTask(UUID.randomUUID(), TASK_ID, KATE),
                OfferContext.NONE, LATER).task();
        Decision d = reassign(accepted, Target.person("amira.khan"), List.of("amira.khan"), true);
        assertThat(d.task().owner()).isNull();
        assertThat(d.task().offeredTo()).containsExactly("amira.khan");
        assertThat(((TaskReassigned) d.events().get(0)).previousOwner()).isEqualTo(KATE);
    }

    @Test
    void onlyASupervisorMayReassignAndNeverToARoleNobodyHolds() {
        assertThat(reassign(offeredToBothRegistrars(), SHO, SHOS, false).rejected()).isTrue();
        assertThat(reassign(offeredToBothRegistrars(), SHO, List.of(), true).rejected()).isTrue();
    }

    @Test
    void aReassignedTaskFollowsTheNewAddresseesChainFromItsFirstStep() {
        Task atStepTwo = TaskEscalationTest.fire(TaskEscalationTest.raise(Priority.URGENT,
                org.pagerless.escalation.model.MedicineOnCall.SHO, org.pagerless.escalation.model.MedicineOnCall.NINE_AM)
                .task(), org.pagerless.escalation.model.MedicineOnCall.NINE_AM.plusSeconds(700)).task();
        assertThat(atStepTwo.level()).isEqualTo(2);
        org.pagerless.task.model.EscalationPolicy registrarChain = org.pagerless.task.model.EscalationPolicy
                .of("registrar", "Registrar",
                        org.pagerless.task.model.EscalationStep.of("Registrar", 0,
                                org.pagerless.task.model.StepTarget.addressee()),
                        org.pagerless.task.model.EscalationStep.of("Coordinator and switchboard", 0,
                                org.pagerless.task.model.StepTarget.coordinator(),
                                org.pagerless.task.model.StepTarget.switchboard()));
        Target registrar = Target.role(org.pagerless.escalation.model.MedicineOnCall.REGISTRAR);
        OfferContext context = org.pagerless.escalation.model.MedicineOnCall.context(registrarChain, registrar, "7B",
                org.pagerless.escalation.model.MedicineOnCall.NINE_AM.plusSeconds(800));

        Decision d = Task.decide(atStepTwo, new ReassignTask(UUID.randomUUID(), atStepTwo.id(), "grace.okafor",
                registrar, true), context, org.pagerless.escalation.model.MedicineOnCall.NINE_AM.plusSeconds(800));
        assertThat(d.task().policy()).isEqualTo(registrarChain);
        assertThat(d.task().level()).isEqualTo(1);
        assertThat(d.task().offeredTo()).containsExactly("kate.morgan");
        assertThat(d.task().timer().dueAt()).isAfter(org.pagerless.escalation.model.MedicineOnCall.NINE_AM.plusSeconds(800));
    }
}
