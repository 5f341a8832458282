package org.pagerless.rota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;

/** Staff mobile numbers go only to the person themselves and to the supervisors who call people. */
@QuarkusTest
class RotaPhoneVisibilityTest extends FlowTest {

    @Test
    void aClinicianSeesOnlyTheirOwnNumber() {
        List<String> numbers = Api.as("kate.morgan").get("/api/v1/rota/staff").statusCode(200).extract().jsonPath()
                .getList("findAll { it.phone != null }.id", String.class);
        assertThat(numbers).containsExactly("kate.morgan");
        Api.as("kate.morgan").get("/api/v1/rota/staff/raj.patel").statusCode(200)
                .body("phone", org.hamcrest.Matchers.nullValue());
        Api.as("epr").get("/api/v1/rota/staff/raj.patel").statusCode(200)
                .body("phone", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void switchboardAndAdminsSeeEveryNumber() {
        for (String supervisor : List.of("sam.patel", "admin", "grace.okafor")) {
            Api.as(supervisor).get("/api/v1/rota/staff/raj.patel").statusCode(200)
                    .body("phone", org.hamcrest.Matchers.startsWith("+44"));
        }
    }
}
