package org.pagerless.board;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.rota.model.Ward;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The three apps' pages: server-rendered shells (who you are, what you are on shift as) around small
 * JavaScript modules that use the REST API and the live feed. Each page is for some app roles only;
 * anyone else gets a page saying so, with the apps they may open.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class Pages {
    @jakarta.inject.Inject
    org.pagerless.escalation.EscalationDirectory escalationDirectory;
    static final Set<String> DOCTOR_APP = Set.of(AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR,
            AppRoles.ADMIN);
    static final Set<String> BOARD = Set.of(AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN,
            AppRoles.SWITCHBOARD);
    static final Set<String> SWITCHBOARD = Set.of(AppRoles.SWITCHBOARD, AppRoles.COORDINATOR, AppRoles.ADMIN);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Inject
    SecurityIdentity identity;
    @Inject
    StaffNow staffNow;

    @ConfigProperty(name = "pagerless.hospital.zone", defaultValue = "Europe/London")
    ZoneId zone;
    /**
     * How a phone outside the exchange dials an internal extension ("Call 4417"): {@code {ext}} is replaced by the
     * extension, e.g. {@code +44 20 7946 {ext}}. Empty: extensions are dialled as they are (the trust's own phones only).
     */
    @ConfigProperty(name = "pagerless.apps.extension-dial-pattern")
    java.util.Optional<String> extensionDialPattern;

    /** A role held now, as the header shows it: "Medical SHO On-Call (until 08:30)". */
    public record ShiftLine(String roleName, String until) {
    }

    /** An app the signed-in user may open. */
    public record AppLink(String path, String name, String description) {
    }

    /** What every page knows about its user. */
    public record PageUser(String staffId, String name, String appRole, String zone, List<ShiftLine> onShift,
                           List<AppLink> apps, String dialPattern) {
        public boolean onShiftNow() {
            return !onShift.isEmpty();
        }
    }

    public record WardOption(String id, String name) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<AppLink> apps);

        static native TemplateInstance app(PageUser user);

        static native TemplateInstance board(PageUser user, List<WardOption> wards, String homeWards);

        static native TemplateInstance switchboard(PageUser user);

        static native TemplateInstance notForYou(PageUser user, String app);
    }

    private static final List<AppLink> APPS = List.of(
            new AppLink("/app", "My tasks", "The junior doctor's phone app: what is offered to me, accept, decline, done."),
            new AppLink("/board", "Ward board", "Nurse in charge: open tasks, who holds the roles, request a task."),
            new AppLink("/switchboard", "Switchboard console", "Bleep a role, a person or a number; alerts needing a human."));

    @GET
    @Operation(hidden = true)
    public TemplateInstance index() {
        return Templates.index(APPS);
    }

    @GET
    @Path("app")
    @Operation(hidden = true)
    public Response app() {
        PageUser user = user();
        return page(DOCTOR_APP, user, "My tasks", Templates.app(user));
    }

    @GET
    @Path("board")
    @Operation(hidden = true)
    public Response board() {
        PageUser user = user();
        List<WardOption> wards = staffNow.hospital().wards().stream().sorted(Comparator.comparing(Ward::name))
                .map(w -> new WardOption(w.id(), w.name())).toList();
        // The wards whose nurse in charge the user is now: the board opens on them, with the form for the first.
        java.util.Map<String, String> nicByWard = escalationDirectory.duties().nurseInChargeRoleByWard();
        java.util.Set<String> held = staffNow.rolesOf(user.staffId()).stream().map(StaffNow.OnShift::roleId)
                .collect(java.util.stream.Collectors.toSet());
        String homeWards = String.join(" ", nicByWard.entrySet().stream().filter(e -> held.contains(e.getValue()))
                .map(java.util.Map.Entry::getKey).sorted().toList());
        return page(BOARD, user, "Ward board", Templates.board(user, wards, homeWards));
    }

    @GET
    @Path("switchboard")
    @Operation(hidden = true)
    public Response switchboard() {
        PageUser user = user();
        return page(SWITCHBOARD, user, "Switchboard console", Templates.switchboard(user));
    }

    /** The phone app's web manifest, with its registered media type (static files would go out untyped). */
    @GET
    @Path("app.webmanifest")
    @Produces("application/manifest+json")
    @Operation(hidden = true)
    public Response manifest() throws java.io.IOException {
        try (var in = Pages.class.getResourceAsStream("/web/app.webmanifest")) {
            return Response.ok(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .header("Cache-Control", "max-age=3600").build();
        }
    }

    private Response page(Set<String> allowed, PageUser user, String app, TemplateInstance page) {
        if (!allowed.contains(user.appRole())) {
            return Response.status(403).entity(Templates.notForYou(user, app).render()).build();
        }
        return Response.ok(page.render()).build();
    }

    private PageUser user() {
        Caller caller = Caller.of(identity);
        List<ShiftLine> shifts = staffNow.rolesOf(caller.staffId()).stream()
                .map(s -> new ShiftLine(s.roleName(), time(s.until()))).toList();
        List<AppLink> apps = APPS.stream().filter(a -> allowedFor(a.path(), caller.appRole())).toList();
        return new PageUser(caller.staffId(), staffNow.nameOf(caller.staffId()), caller.appRole(), zone.getId(),
                shifts, apps, extensionDialPattern.map(String::trim).orElse(""));
    }

    private static boolean allowedFor(String path, String appRole) {
        switch (path) {
            case "/app":
                return DOCTOR_APP.contains(appRole);
            case "/board":
                return BOARD.contains(appRole);
            default:
                return SWITCHBOARD.contains(appRole);
        }
    }

    private String time(Instant at) {
        return at == null ? "" : HH_MM.format(at.atZone(zone));
    }
}
