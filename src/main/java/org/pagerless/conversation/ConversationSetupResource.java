package org.pagerless.conversation;

import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.platform.TextField;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Staff;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Making conversations: admins define rooms by roles and wards (who is in them follows the rota); anyone makes an
 * ad-hoc group, opens a conversation with whoever holds a role, or with one person.
 */
@Path("/api/v1/conversations")
@Tag(name = "Conversations")
@RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
public class ConversationSetupResource {
    static final int MAX_TITLE = 100;

    @Inject
    ConversationStore store;
    @Inject
    ConversationMembers members;
    @Inject
    ConversationViews views;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;

    /** A room: its name, and the roles and wards whose people are in it at each instant. */
    public record RoomBody(String title, List<String> roles, List<String> wards) {
    }

    /** An ad-hoc group: its name and who is in it (the maker always is). */
    public record GroupBody(String title, List<String> members) {
    }

    /** Whom to talk to: a role (id or name) or a person (staff id). */
    public record WithBody(String role, String person) {
    }

    @POST
    @Path("rooms")
    @RolesAllowed(AppRoles.ADMIN)
    @Operation(summary = "Define a team room (admins)", description = "Members are the holders of `roles`, and for "
            + "each of `wards` the staff covering it and its nurse in charge, at each instant: they change at shift change.")
    public Response room(RoomBody body) {
        Hospital hospital = referenceData.hospital();
        List<Problem.Violation> problems = new ArrayList<>();
        String title = title(body == null ? null : body.title(), problems);
        List<String> roles = new ArrayList<>();
        List<String> wards = new ArrayList<>();
        List<String> roleNames = body == null || body.roles() == null ? List.of() : body.roles();
        List<String> wardNames = body == null || body.wards() == null ? List.of() : body.wards();
        for (int i = 0; i < roleNames.size(); i++) {
            String name = roleNames.get(i);
            int at = i;
            Optional<Role> role = name == null ? Optional.empty() : hospital.role(name);
            role.ifPresentOrElse(r -> roles.add(r.id()),
                    () -> problems.add(new Problem.Violation("roles[" + at + "]", "unknown role '" + name + "'")));
        }
        for (int i = 0; i < wardNames.size(); i++) {
            String name = wardNames.get(i);
            int at = i;
            (name == null ? Optional.<org.pagerless.rota.model.Ward>empty() : hospital.ward(name)).ifPresentOrElse(
                    w -> wards.add(w.id()), () -> problems.add(new Problem.Violation("wards[" + at + "]", "unknown ward '" + name + "'")));
        }
        if (roleNames.isEmpty() && wardNames.isEmpty()) {
            problems.add(new Problem.Violation("roles", "a room needs at least one role or ward"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequest(problems);
        }
        Conversation room = new Conversation(UUID.randomUUID(), Conversation.Kind.ROOM, title, null, roles, wards,
                List.of(), caller().staffId(), clock.instant());
        return created(room);
    }

    @POST
    @Path("groups")
    @Operation(summary = "Make an ad-hoc group", description = "Fixed members; the maker is always one.")
    public Response group(GroupBody body) {
        Hospital hospital = referenceData.hospital();
        List<Problem.Violation> problems = new ArrayList<>();
        String title = title(body == null ? null : body.title(), problems);
        String me = caller().staffId();
        Set<String> people = new LinkedHashSet<>(List.of(me));
        List<String> asked = body == null || body.members() == null ? List.of() : body.members();
        for (int i = 0; i < asked.size(); i++) {
            String id = asked.get(i);
            if (id == null || hospital.staff(id).isEmpty()) {
                problems.add(new Problem.Violation("members[" + i + "]", "unknown member of staff '" + id + "'"));
            } else {
                people.add(id);
            }
        }
        if (problems.isEmpty() && people.size() < 2) {
            problems.add(new Problem.Violation("members", "a group needs someone besides you"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequest(problems);
        }
        return created(new Conversation(UUID.randomUUID(), Conversation.Kind.GROUP, title, null, List.of(), List.of(),
                List.copyOf(people), me, clock.instant()));
    }

    @POST
    @Path("with")
    @Operation(summary = "Open my conversation with a role or a person", description = "With a role, it reaches "
            + "whoever holds the role now, and whoever holds it next sees the conversation. The same conversation "
            + "comes back each time (200); 201 the first time.")
    public Response with(WithBody body) {
        Hospital hospital = referenceData.hospital();
        String me = caller().staffId();
        boolean hasRole = body != null && body.role() != null && !body.role().isBlank();
        boolean hasPerson = body != null && body.person() != null && !body.person().isBlank();
        if (hasRole == hasPerson) {
            throw new InvalidRequest("role", "give exactly one of role or person");
        }
        Conversation c;
        if (hasRole) {
            Role role = hospital.role(body.role()).orElseThrow(() -> new InvalidRequest("role", "unknown role '" + body.role() + "'"));
            c = new Conversation(Conversation.roleId(me, role.id()), Conversation.Kind.ROLE,
                    role.name() + " · " + views.nameOf(me), null, List.of(role.id()), List.of(), List.of(me), me, clock.instant());
        } else {
            Staff other = hospital.staff(body.person()).orElseThrow(() -> new InvalidRequest("person", "unknown member of staff '" + body.person() + "'"));
            if (other.id().equals(me)) {
                throw new InvalidRequest("person", "must be someone other than you");
            }
            c = new Conversation(Conversation.directId(me, other.id()), Conversation.Kind.DIRECT,
                    views.nameOf(me) + " · " + other.displayName(), null, List.of(), List.of(), List.of(me, other.id()), me,
                    clock.instant());
        }
        Optional<Conversation> existing = store.find(c.id());
        if (existing.isPresent()) {
            return Response.ok(views.conversation(existing.get(), members.membersNow(existing.get()), true, null, null, null)).build();
        }
        return created(c);
    }

    private Response created(Conversation c) {
        store.create(c);
        return Response.created(URI.create("/api/v1/conversations/" + c.id()))
                .entity(views.conversation(c, members.membersNow(c), members.membersNow(c).contains(caller().staffId()),
                        0, null, null)).build();
    }

    private static String title(String title, List<Problem.Violation> problems) {
        return TextField.check("title", title, true, MAX_TITLE, problems);
    }

    private Caller caller() {
        return Caller.of(identity);
    }
}
