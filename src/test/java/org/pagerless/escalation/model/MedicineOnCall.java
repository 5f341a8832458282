package org.pagerless.escalation.model;

import static org.pagerless.task.model.StepTarget.addressee;
import static org.pagerless.task.model.StepTarget.coordinator;
import static org.pagerless.task.model.StepTarget.role;
import static org.pagerless.task.model.StepTarget.switchboard;
import static org.pagerless.task.model.StepTarget.wardNurseInCharge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Shift;
import org.pagerless.rota.model.Staff;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.model.Target;
import org.pagerless.task.model.Task.OfferContext;
import org.pagerless.task.model.EscalationPolicy;
import org.pagerless.task.model.EscalationStep;

/**
 * Medicine on call for one day and night on Ward 7B: two SHOs by day (a third joins at 09:05), one at
 * night; a registrar by day only; the 7B nurse in charge by day only; the H@N coordinator at night;
 * switchboard always; a dermatology registrar nobody holds.
 */
public final class MedicineOnCall {
    public static final Instant NINE_AM = Instant.parse("2026-03-10T09:00:00Z");
    public static final Instant EIGHT_PM = Instant.parse("2026-03-10T20:00:00Z");
    public static final Instant NINE_PM = Instant.parse("2026-03-10T21:00:00Z");
    public static final String SHO = "med-sho-oncall";
    public static final String REGISTRAR = "med-reg-oncall";

    public static final Hospital HOSPITAL = new Hospital(
            List.of(new Ward("7B", "7B", List.of(SHO))),
            List.of(new Role(SHO, "Medical SHO On-Call", "medicine", "2310"),
                    new Role(REGISTRAR, "Medical Registrar On-Call", "medicine", "2320"),
                    new Role("derm-reg", "Dermatology Registrar", "dermatology", "2330"),
                    new Role("nic-7b", "Nurse in Charge 7B", "nursing", "3002"),
                    new Role("han-coord", "Hospital at Night Coordinator", "operations", "3100"),
                    new Role("switchboard", "Switchboard", "operations", "3200")),
            List.of(new Staff("amira.khan", "Dr Amira Khan", "SHO", "clinician"),
                    new Staff("dan.wright", "Dr Dan Wright", "SHO", "clinician"),
                    new Staff("liam.murphy", "Dr Liam Murphy", "SHO", "clinician"),
                    new Staff("noah.green", "Dr Noah Green", "SHO", "clinician"),
                    new Staff("kate.morgan", "Dr Kate Morgan", "Registrar", "clinician"),
                    new Staff("grace.okafor", "Grace Okafor", "Sister", "nurse-in-charge"),
                    new Staff("ian.ross", "Ian Ross", "Site Practitioner", "coordinator"),
                    new Staff("sam.patel", "Sam Patel", "Operator", "switchboard"),
                    new Staff("mary.jones", "Mary Jones", "Sister", "nurse-in-charge")),
            List.of(day(SHO, "amira.khan"), day(SHO, "dan.wright"),
                    new Shift(SHO, "liam.murphy", NINE_AM.plus(Duration.ofMinutes(5)), EIGHT_PM),
                    night(SHO, "noah.green"), day(REGISTRAR, "kate.morgan"), day("nic-7b", "grace.okafor"),
                    night("han-coord", "ian.ross"), day("switchboard", "sam.patel"), night("switchboard", "sam.patel")));

    public static final Duties DUTIES = new Duties(Map.of("7B", "nic-7b"), "han-coord", "switchboard");

    private MedicineOnCall() {
    }

    /** Medical SHO on call → registrar and the ward's nurse in charge → coordinator and switchboard (offered twice). */
    public static EscalationPolicy shoChain() {
        return EscalationPolicy.of(SHO, "Medical SHO on call",
                EscalationStep.of("Medical SHO on call", 0, addressee()),
                EscalationStep.of("Medical registrar and nurse in charge", 0, role(REGISTRAR), wardNurseInCharge()),
                EscalationStep.of("Coordinator and switchboard", 1, coordinator(), switchboard()));
    }

    /** What the processor would hand the model at {@code at}: the chain resolved through this rota. */
    public static OfferContext context(EscalationPolicy policy, Target addressee, String wardId, Instant at) {
        StepResolver resolver = new StepResolver(HOSPITAL, DUTIES);
        List<String> holders = addressee.type() == Target.Type.PERSON ? List.of(addressee.id())
                : HOSPITAL.holdersOf(addressee.id(), at);
        if (policy == null) {
            return new OfferContext(holders);
        }
        return new OfferContext(holders, policy, resolver.steps(policy, addressee, wardId, at),
                resolver.nurseInCharge(wardId, at), resolver.switchboard(at));
    }

    private static Shift day(String role, String who) {
        return new Shift(role, who, Instant.parse("2026-03-10T08:00:00Z"), EIGHT_PM);
    }

    private static Shift night(String role, String who) {
        return new Shift(role, who, EIGHT_PM, EIGHT_PM.plus(Duration.ofHours(12)));
    }
}
