package org.pagerless.rota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Rota files in and out: CSV and iCalendar imports apply all or nothing and report every bad line; the iCal feeds
 * show who actually holds what, and an export imports back to the same shifts. The Dermatology Registrar has no
 * rota in the demo hospital, so everything here is about it and is removed afterwards.
 */
@QuarkusTest
class RotaImportFlowTest extends FlowTest {
    static final Api ADMIN = Api.as("admin");
    static final Api SWITCHBOARD = Api.as("sam.patel");
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final String DERM = "derm-reg";

    @Inject
    java.time.InstantSource clock;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void removeDermatologyShifts() {
        for (Object id : SWITCHBOARD.get("/api/v1/rota/shifts?roleId=" + DERM + "&from=2000-01-01T00:00:00Z"
                + "&to=2100-01-01T00:00:00Z").statusCode(200).extract().jsonPath().getList("id")) {
            ADMIN.request().delete("/api/v1/rota/shifts/" + id).then().statusCode(204);
        }
        created.forEach(path -> ADMIN.request().delete(path));
    }

    private LocalDate tomorrow() {
        return LocalDate.ofInstant(clock.instant(), LONDON).plusDays(1);
    }

    private Instant london(LocalDate date, int hour) {
        return date.atTime(hour, 0).atZone(LONDON).toInstant();
    }

    private Response importing(String contentType, String body) {
        return ADMIN.request().contentType(contentType + "; charset=utf-8").body(body).post("/api/v1/rota/import");
    }

    private List<String> dermShifts() {
        return SWITCHBOARD.get("/api/v1/rota/shifts?roleId=" + DERM + "&to=2100-01-01T00:00:00Z").statusCode(200)
                .extract().jsonPath().getList("", Map.class).stream()
                .map(s -> s.get("staffId") + " " + s.get("from") + " " + s.get("to")).collect(Collectors.toList());
    }

    private List<String> holdersAt(Instant at) {
        return SWITCHBOARD.get("/api/v1/roles/" + DERM + "/holders?at=" + at).statusCode(200).extract().jsonPath()
                .getList("id");
    }

    @Test
    void aCsvImportAddsItsShiftsAndSaysHowMany() {
        LocalDate day = tomorrow();
        String csv = "role,staff,start,end\n"
                + "derm-reg,fiona.bell," + day + " 09:00," + day + " 17:00\n"
                + "\"Dermatology Registrar\",raj.patel," + day.plusDays(1) + " 09:00," + day.plusDays(1) + " 17:00\n"
                + "2330,kate.morgan," + day.plusDays(2) + "T09:00," + day.plusDays(2) + "T17:00\n";

        importing("text/csv", csv).then().statusCode(200).body("added", equalTo(3))
                .body("alreadyPresent", equalTo(0)).body("roles", equalTo(List.of(DERM)));

        assertThat(holdersAt(london(day, 12))).containsExactly("fiona.bell");
        assertThat(holdersAt(london(day.plusDays(1), 12))).containsExactly("raj.patel");
        assertThat(holdersAt(london(day.plusDays(2), 12))).containsExactly("kate.morgan");
        // The same file again changes nothing: rota tools re-send whole months.
        importing("text/csv", csv).then().statusCode(200).body("added", equalTo(0)).body("alreadyPresent", equalTo(3));
        assertThat(dermShifts()).hasSize(3);
    }

    @Test
    void malformedRowsAreReportedLineByLineAndNothingIsApplied() {
        LocalDate day = tomorrow();
        String csv = "role,staff,start,end\n"
                + "derm-reg,fiona.bell," + day + " 09:00," + day + " 17:00\n"
                + "derm-reg,nobody.here," + day + " 09:00," + day + " 17:00\n"
                + "derm-reg,fiona.bell," + day + " 17:00," + day + " 09:00\n"
                + "Wizard On-Call,fiona.bell,noon," + day + " 09:00\n";

        importing("text/csv", csv).then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid import"))
                .body("violations.line", equalTo(List.of(3, 4, 5, 5)))
                .body("violations.field", equalTo(List.of("staff", "end", "start", "role")))
                .body("violations[0].reason", equalTo("no member of staff 'nobody.here'"))
                .body("detail", containsString("nothing was imported"));

        assertThat(dermShifts()).isEmpty();
        assertThat(holdersAt(london(day, 12))).isEmpty();
    }

    @Test
    void anICalendarImportTakesLondonAndUtcTimesAndFoldedLines() {
        LocalDate day = tomorrow();
        String compact = day.toString().replace("-", "");
        Instant utcStart = london(day.plusDays(1), 9);
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota Tool//EN\r\n"
                + "BEGIN:VEVENT\r\nUID:a1\r\nDTSTAMP:20260101T000000Z\r\n"
                + "DTSTART;TZID=Europe/London:" + compact + "T090000\r\n"
                + "DTEND;TZID=Europe/London:" + compact + "T17\r\n 0000\r\n"
                + "SUMMARY:Derm day\r\nX-PAGERLESS-STAFF:fiona.bell\r\nEND:VEVENT\r\n"
                + "BEGIN:VEVENT\r\nUID:a2\r\nDTSTAMP:20260101T000000Z\r\n"
                + "DTSTART:" + utcStart.toString().replace("-", "").replace(":", "") + "\r\nDURATION:PT8H\r\n"
                + "X-PAGERLESS-STAFF:kate.morgan\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        ADMIN.request().contentType("text/calendar; charset=utf-8").body(ics).post("/api/v1/rota/import?role=" + DERM)
                .then().statusCode(200).body("added", equalTo(2));

        assertThat(holdersAt(london(day, 12))).containsExactly("fiona.bell");
        assertThat(holdersAt(london(day, 17))).isEmpty();
        assertThat(holdersAt(utcStart.plusSeconds(7 * 3600))).containsExactly("kate.morgan");
    }

    @Test
    void aBadICalendarEventIsReportedAtItsLine() {
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota Tool//EN\r\n"
                + "BEGIN:VEVENT\r\nUID:b1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20300105T090000Z\r\n"
                + "DTEND:20300105T170000Z\r\nX-PAGERLESS-ROLE:derm-reg\r\nX-PAGERLESS-STAFF:fiona.bell\r\nEND:VEVENT\r\n"
                + "BEGIN:VEVENT\r\nUID:b2\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20300106\r\n"
                + "X-PAGERLESS-STAFF:fiona.bell\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        importing("text/calendar", ics).then().statusCode(400)
                .body("violations.line", equalTo(List.of(12, 12, 12)))
                .body("violations.field", equalTo(List.of("DTSTART", "DTEND", "X-PAGERLESS-ROLE")));
        importing("text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n").then().statusCode(400)
                .body("violations[0].field", equalTo("calendar"));
        assertThat(dermShifts()).isEmpty();
    }

    @Test
    void theRoleFeedShowsWhoActuallyHoldsItAndImportsBackToTheSameShifts() {
        LocalDate day = tomorrow();
        for (var shift : List.of(List.of("fiona.bell", 0), List.of("raj.patel", 1))) {
            LocalDate d = day.plusDays((Integer) shift.get(1));
            ADMIN.post("/api/v1/rota/shifts", Map.of("roleId", DERM, "staffId", shift.get(0),
                    "from", london(d, 9).toString(), "to", london(d, 17).toString())).then().statusCode(201);
        }
        List<String> before = dermShifts();
        String export = SWITCHBOARD.request().get("/api/v1/rota/roles/" + DERM + "/calendar.ics").then()
                .statusCode(200).contentType(containsString("text/calendar")).extract().asString();
        assertThat(export).startsWith("BEGIN:VCALENDAR").contains("X-PAGERLESS-ROLE:derm-reg")
                .contains("SUMMARY:Dermatology Registrar: Dr Fiona Bell");
        assertThat(export.split("BEGIN:VEVENT", -1)).hasSize(3);

        removeDermatologyShifts();
        assertThat(dermShifts()).isEmpty();
        importing("text/calendar", export).then().statusCode(200).body("added", equalTo(2));
        assertThat(dermShifts()).isEqualTo(before);
        String again = SWITCHBOARD.request().get("/api/v1/rota/roles/" + DERM + "/calendar.ics").then()
                .statusCode(200).extract().asString();
        assertThat(withoutStamps(again)).isEqualTo(withoutStamps(export));
    }

    @Test
    void aPersonsFeedLeavesOutTheirLeave() {
        LocalDate day = tomorrow();
        ADMIN.post("/api/v1/rota/shifts", Map.of("roleId", DERM, "staffId", "fiona.bell",
                "from", london(day, 9).toString(), "to", london(day, 17).toString())).then().statusCode(201);
        long leave = ADMIN.post("/api/v1/rota/leave", Map.of("staffId", "fiona.bell", "from", london(day, 12)
                .toString(), "to", london(day, 13).toString(), "reason", "appointment")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        created.add("/api/v1/rota/leave/" + leave);

        String feed = Api.as("fiona.bell").request().get("/api/v1/rota/staff/fiona.bell/calendar.ics").then()
                .statusCode(200).extract().asString().replace("\r\n ", "");
        String compact = "T" + london(day, 9).toString().substring(11, 13);
        List<String> dermEvents = List.of(feed.split("BEGIN:VEVENT")).stream()
                .filter(e -> e.contains("X-PAGERLESS-ROLE:derm-reg")).toList();
        assertThat(dermEvents).hasSize(2);
        assertThat(dermEvents.get(0)).contains("DTSTART:" + day.toString().replace("-", "") + compact);
        assertThat(dermEvents.get(0)).contains("DTEND:" + london(day, 12).toString().replace("-", "")
                .replace(":", ""));
        assertThat(dermEvents.get(1)).contains("DTSTART:" + london(day, 13).toString().replace("-", "")
                .replace(":", ""));
    }

    @Test
    void onlyAdminsImportAndOnlyCsvOrICalendarIsTaken() {
        SWITCHBOARD.request().contentType("text/csv").body("role,staff,start,end\n").post("/api/v1/rota/import")
                .then().statusCode(403);
        ADMIN.request().contentType("application/pdf").body("%PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).post("/api/v1/rota/import").then()
                .statusCode(415);
        SWITCHBOARD.get("/api/v1/rota/roles/wizard/calendar.ics").statusCode(404);
    }

    private static String withoutStamps(String ics) {
        return ics.lines().filter(l -> !l.startsWith("DTSTAMP")).collect(Collectors.joining("\n"));
    }
}
