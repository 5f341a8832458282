package org.pagerless.rota;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.platform.Topics;
import org.pagerless.support.Api;
import org.pagerless.support.Broker;
import org.pagerless.support.FlowTest;
import org.pagerless.support.PagerlessInfra;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Every rota write is announced on pagerless.rota-events.v1 and every pod reloads its rota when it hears one, so a
 * change made through another pod counts for new resolutions here within seconds, not at the next 10 s refresh.
 */
@QuarkusTest
class RotaEventsFlowTest extends FlowTest {
    static final Api ADMIN = Api.as("admin");
    static final Api SWITCHBOARD = Api.as("sam.patel");
    private static final Pattern EVENT_RELOADS = Pattern.compile(
            "pagerless_rota_reloads_total\\{cause=\"event\"[^}]*\\} ([0-9.Ee+]+)");

    @Inject
    java.time.InstantSource clock;

    private Long shiftId;

    @AfterEach
    void removeTheShift() {
        if (shiftId != null) {
            ADMIN.request().delete("/api/v1/rota/shifts/" + shiftId).then().statusCode(204);
        }
    }

    @Test
    void aWriteThroughTheApiIsPublishedAsRotaChangedKeyedByRole() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        shiftId = ADMIN.post("/api/v1/rota/shifts", Map.of("roleId", "derm-reg", "staffId", "fiona.bell",
                "from", now.plus(Duration.ofDays(3)).toString(), "to", now.plus(Duration.ofDays(3).plusHours(8))
                        .toString())).then().statusCode(201).extract().jsonPath().getLong("id");

        ConsumerRecord<String, String> event = await().atMost(Duration.ofSeconds(10)).until(
                () -> Broker.readAll(Topics.ROTA_EVENTS).stream()
                        .filter(r -> r.value() != null && r.value().contains("\"shift.created\"")
                                && r.value().contains("\"by\":\"admin\""))
                        .reduce((first, second) -> second).orElse(null),
                r -> r != null);
        assertThat(event.key()).isEqualTo("derm-reg");
        assertThat(event.value()).contains("\"type\":\"RotaChanged\"");
    }

    @Test
    void aChangeAnnouncedByAnotherPodIsResolvedHereWithinSeconds() throws Exception {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        assertThat(SWITCHBOARD.holdersOf("Dermatology Registrar")).isEmpty();
        // The admin list is kept between reloads (RotaLists): read it now, so it is kept without the new shift.
        java.util.List<Long> listedBefore = ADMIN.request().get("/api/v1/rota/shifts?roleId=derm-reg").then()
                .statusCode(200).extract().jsonPath().getList("id", Long.class);
        double reloadsBefore = eventReloads();

        // Another pod writes a shift straight to the shared database and announces it, as ShiftResource does.
        try (Connection c = PagerlessInfra.connection(); PreparedStatement ps = c.prepareStatement(
                "insert into shift (role_id, staff_id, starts_at, ends_at) values ('derm-reg', 'fiona.bell', ?, ?)"
                        + " returning id")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now.minus(Duration.ofMinutes(1)), ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(now.plus(Duration.ofHours(1)), ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                shiftId = rs.getLong(1);
            }
        }
        Broker.publish(Topics.ROTA_EVENTS, "derm-reg", """
                {"eventId":"%s","type":"RotaChanged","key":"derm-reg","change":"shift.created","by":"admin","at":"%s"}
                """.formatted(java.util.UUID.randomUUID(), now));

        await().atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                assertThat(SWITCHBOARD.holdersOf("Dermatology Registrar")).containsExactly("fiona.bell"));
        await().atMost(Duration.ofSeconds(4)).until(() -> eventReloads() > reloadsBefore);
        // ... and the admin list shows it too: the reload let go of the list kept before it.
        assertThat(ADMIN.request().get("/api/v1/rota/shifts?roleId=derm-reg").then().statusCode(200).extract()
                .jsonPath().getList("id", Long.class)).contains(shiftId).containsAll(listedBefore);
    }

    private static double eventReloads() {
        Matcher m = EVENT_RELOADS.matcher(given().get("/q/metrics").then().statusCode(200).extract().asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
