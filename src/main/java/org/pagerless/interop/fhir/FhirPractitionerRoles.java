package org.pagerless.interop.fhir;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Ward;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * {@code GET /fhir/PractitionerRole?role=&ward=&date=}: who holds a role (or covers a ward) now, or at {@code date},
 * with the role's bleep as a pager {@code telecom} — the question a ward clerk asks switchboard all day. Resolved
 * through the rota at that instant, as every page is.
 */
final class FhirPractitionerRoles {
    private static final Set<String> KNOWN = Set.of("role", "ward", "date", "_format");

    private FhirPractitionerRoles() {
    }

    static Bundle search(MultivaluedMap<String, String> params, Hospital hospital, Instant now, String base) {
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new InvalidRequest(name, "is not a supported search parameter; see /fhir/metadata");
            }
        }
        String roleParam = params.getFirst("role");
        String wardParam = params.getFirst("ward");
        String dateParam = params.getFirst("date");
        Instant at = now;
        if (dateParam != null && !dateParam.isBlank()) {
            try {
                at = new DateTimeType(dateParam.replaceFirst("^eq", "")).getValue().toInstant();
            } catch (RuntimeException e) {
                throw new InvalidRequest("date", "'" + dateParam + "' is not a FHIR instant");
            }
        }
        List<Role> roles;
        if (roleParam != null && !roleParam.isBlank()) {
            roles = List.of(hospital.role(roleParam.trim())
                    .orElseThrow(() -> new InvalidRequest("role", "unknown role '" + roleParam + "'")));
        } else if (wardParam != null && !wardParam.isBlank()) {
            Ward ward = hospital.ward(wardParam).orElseThrow(() -> new InvalidRequest("ward",
                    "unknown ward '" + wardParam + "'"));
            roles = ward.coveringRoleIds().stream().flatMap(id -> hospital.role(id).stream()).toList();
        } else {
            roles = List.copyOf(hospital.roles());
        }
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        for (Role role : roles) {
            for (String staffId : hospital.holdersOf(role.id(), at)) {
                PractitionerRole entry = practitionerRole(role, staffId, hospital);
                bundle.addEntry().setFullUrl(base + "PractitionerRole/" + entry.getIdElement().getIdPart())
                        .setResource(entry).getSearch().setMode(SearchEntryMode.MATCH);
            }
        }
        bundle.setTotal(bundle.getEntry().size());
        return bundle;
    }

    private static PractitionerRole practitionerRole(Role role, String staffId, Hospital hospital) {
        PractitionerRole pr = new PractitionerRole();
        pr.setId((role.id() + "." + staffId).replaceAll("[^A-Za-z0-9.-]", "-"));
        pr.setActive(true);
        pr.setPractitioner(FhirTasks.person(staffId, hospital));
        pr.addCode(new CodeableConcept(new Coding(FhirTasks.ROLE_SYSTEM, role.id(), role.name())).setText(role.name()));
        hospital.wards().stream().filter(w -> w.coveringRoleIds().contains(role.id()))
                .forEach(w -> pr.addLocation(new Reference("Location/" + w.id()).setDisplay("Ward " + w.name())));
        if (role.bleep() != null && !role.bleep().isBlank()) {
            pr.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PAGER)
                    .setValue(role.bleep()).setUse(ContactPoint.ContactPointUse.WORK));
        }
        return pr;
    }
}
