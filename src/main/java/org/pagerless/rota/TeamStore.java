package org.pagerless.rota;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.pagerless.platform.ProblemException;
import org.pagerless.rota.Teams.Team;
import org.pagerless.rota.rows.TeamRoleRow;
import org.pagerless.rota.rows.TeamRow;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The broadcast teams as admins change them ({@link TeamRow}, {@link TeamRoleRow}); {@link Teams} is how the
 * processor and broadcasts read them. Each write is one transaction.
 */
@ApplicationScoped
public class TeamStore {

    /** The team called {@code name} (case-insensitive), if there is one. */
    @WithSession
    public Uni<Optional<String>> named(String name) {
        return TeamRow.<TeamRow>find("lower(name) = lower(?1)", name).firstResult()
                .map(team -> Optional.ofNullable(team).map(t -> t.id));
    }

    @WithTransaction
    public Uni<Void> add(Team team) {
        return TeamRow.<TeamRow>findById(team.id()).chain(existing -> {
            if (existing != null) {
                throw ProblemException.conflict("there is already a team '" + team.id() + "'");
            }
            TeamRow row = new TeamRow();
            row.id = team.id();
            row.name = team.name();
            return row.persist().chain(() -> teamRoles(team));
        });
    }

    /** Its name and roles: the list replaces the old one. */
    @WithTransaction
    public Uni<Void> update(Team team) {
        return TeamRow.<TeamRow>findById(team.id()).chain(row -> {
            if (row == null) {
                throw ProblemException.notFound("no team '" + team.id() + "'");
            }
            row.name = team.name();
            return TeamRoleRow.delete("teamId", team.id()).chain(() -> teamRoles(team));
        });
    }

    /** Broadcasts already sent keep their roll-call. */
    @WithTransaction
    public Uni<Void> delete(String id) {
        return RotaWrites.deleted(TeamRoleRow.delete("teamId", id).chain(() -> TeamRow.delete("id", id)), "no team '" + id + "'");
    }

    private static Uni<Void> teamRoles(Team team) {
        List<TeamRoleRow> rows = new ArrayList<>();
        int rank = 1;
        for (String role : team.roleIds()) {
            rows.add(new TeamRoleRow(team.id(), role, rank++));
        }
        return rows.isEmpty() ? Uni.createFrom().voidItem() : TeamRoleRow.persist(rows);
    }
}
