package org.pagerless.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ClaimMappingTest {
    private final ClaimMapping keycloak = new ClaimMapping("preferred_username", "azp", List.of("roles"), "role_code",
            Map.of("ward-sister", "nurse-in-charge"));
    private final ClaimMapping cis2 = new ClaimMapping("preferred_username", "azp", List.of("nhsid_nrbac_roles"),
            "role_code", Map.of("R8000", "clinician", "S8000:G8000:R8003", "clinician", "R8001", "nurse-in-charge"));

    @Test
    void aPersonIsTheirUserNameWithTheirMappedRoles() {
        var mapped = keycloak.map(Map.<String, Object>of("preferred_username", "grace.okafor", "azp", "pagerless-web",
                "roles", List.of("offline_access", "ward-sister"))::get);
        assertThat(mapped).contains(new ClaimMapping.Mapped("grace.okafor", Set.of("nurse-in-charge")));
    }

    @Test
    void aPagerlessRoleNameStandsForItselfAndUnknownValuesAreIgnored() {
        var mapped = keycloak.map(Map.<String, Object>of("preferred_username", "kate.morgan",
                "roles", List.of("clinician", "superuser", "uma_authorization"))::get);
        assertThat(mapped.orElseThrow().roles()).containsExactly("clinician");
    }

    @Test
    void cis2RoleCodesMapByTheWholeCodeOrItsLastPart() {
        var doctor = cis2.map(Map.<String, Object>of("preferred_username", "amira.khan", "nhsid_nrbac_roles",
                List.of(Map.of("role_code", "S8000:G8000:R8003", "org_code", "RX1")))::get);
        var nurse = cis2.map(Map.<String, Object>of("preferred_username", "grace.okafor", "nhsid_nrbac_roles",
                List.of(Map.of("role_code", "S8001:G8001:R8001")))::get);
        assertThat(doctor.orElseThrow().roles()).containsExactly("clinician");
        assertThat(nurse.orElseThrow().roles()).containsExactly("nurse-in-charge");
    }

    @Test
    void anIntegrationIsItsClientIdNeverAUserName() {
        var mapped = keycloak.map(Map.<String, Object>of("preferred_username", "service-account-epr", "azp", "epr",
                "roles", List.of("integration"))::get);
        assertThat(mapped).contains(new ClaimMapping.Mapped("epr", Set.of("integration")));
    }

    @Test
    void aTokenClaimingToBeBothASystemAndAPersonGetsNoRole() {
        var mapped = keycloak.map(Map.<String, Object>of("preferred_username", "x", "azp", "epr",
                "roles", List.of("integration", "admin"))::get);
        assertThat(mapped.orElseThrow().roles()).isEmpty();
    }

    @Test
    void aTokenWithoutTheStaffIdClaimNamesNobody() {
        assertThat(keycloak.map(Map.<String, Object>of("roles", List.of("admin"))::get)).isEmpty();
        assertThat(keycloak.map(Map.<String, Object>of("preferred_username", " ", "roles", "admin")::get)).isEmpty();
    }

    @Test
    void aSpaceSeparatedRoleStringIsSplit() {
        var mapped = keycloak.map(Map.<String, Object>of("preferred_username", "admin", "roles", "admin clinician")::get);
        assertThat(mapped.orElseThrow().roles()).containsExactlyInAnyOrder("admin", "clinician");
    }

    @Test
    void someoneWithSeveralRolesActsInTheWidest() {
        assertThat(Caller.primaryRole(Set.of("clinician", "nurse-in-charge"))).isEqualTo("nurse-in-charge");
        assertThat(Caller.primaryRole(Set.of())).isEmpty();
    }
}
