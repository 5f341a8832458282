package org.pagerless.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** The REST API as a signed-in member of the demo hospital uses it (HTTP Basic, password "demo"). */
public final class Api {
    public static final String PASSWORD = "demo";
    private final String user;

    private Api(String user) {
        this.user = user;
    }

    public static Api as(String staffId) {
        return new Api(staffId);
    }

    public String user() {
        return user;
    }

    public RequestSpecification request() {
        return given().auth().preemptive().basic(user, PASSWORD).contentType(ContentType.JSON);
    }

    public Response post(String path, Object body) {
        return request().body(body).post(path);
    }

    public Response post(String path) {
        return request().post(path);
    }

    public ValidatableResponse get(String path) {
        return request().get(path).then();
    }

    /** Bleeps a role and returns the new task's id. */
    public String bleepRole(String role, String priority) {
        return post("/api/v1/bleeps", Map.of("to", Map.of("role", role), "callback", "4417",
                "message", "Please call re bed 12", "priority", priority))
                .then().statusCode(202).extract().path("id");
    }

    /** Who holds a role right now, according to the API. */
    public List<String> holdersOf(String roleName) {
        return get("/api/v1/roles").statusCode(200).extract().jsonPath()
                .getList("find { it.name == '" + roleName + "' }.holders.id", String.class);
    }

    public Map<String, Object> task(String id) {
        return get("/api/v1/tasks/" + id).statusCode(200).extract().jsonPath().getMap("");
    }

    public String status(String id) {
        return get("/api/v1/tasks/" + id).statusCode(200).extract().path("status");
    }
}
