package org.pagerless.rota;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import org.pagerless.platform.Jdbc;
import org.pagerless.rota.Teams.Team;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The broadcast teams as admins change them (the {@code team} and {@code team_role} tables); {@link Teams} is how the
 * processor and broadcasts read them. Each write is one transaction.
 */
@ApplicationScoped
public class TeamStore {
    @Inject
    Jdbc jdbc;

    /** The team called {@code name} (case-insensitive), if there is one. */
    public Uni<Optional<String>> named(String name) {
        return jdbc.transactionOnWorker(c -> Jdbc.query(c, "select id from team where lower(name) = lower(?) limit 1",
                rs -> rs.getString(1), name).stream().findFirst());
    }

    /** 409 if there is already a team with its id. */
    public Uni<Void> add(Team team) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.applied(Jdbc.update(c, "insert into team (id, name) values (?, ?) on conflict (id) do nothing",
                    team.id(), team.name()), "there is already a team '" + team.id() + "'");
            teamRoles(c, team);
            return null;
        });
    }

    /** Its name and roles: the list replaces the old one. */
    public Uni<Void> update(Team team) {
        return jdbc.transactionOnWorker(c -> {
            RotaWrites.found(Jdbc.update(c, "update team set name = ? where id = ?", team.name(), team.id()),
                    "no team '" + team.id() + "'");
            Jdbc.update(c, "delete from team_role where team_id = ?", team.id());
            teamRoles(c, team);
            return null;
        });
    }

    /** Broadcasts already sent keep their roll-call. */
    public Uni<Void> delete(String id) {
        return jdbc.transactionOnWorker(c -> {
            Jdbc.update(c, "delete from team_role where team_id = ?", id);
            RotaWrites.found(Jdbc.update(c, "delete from team where id = ?", id), "no team '" + id + "'");
            return null;
        });
    }

    private static void teamRoles(Connection c, Team team) throws SQLException {
        int rank = 1;
        for (String role : team.roleIds()) {
            Jdbc.update(c, "insert into team_role (team_id, role_id, rank) values (?, ?, ?)", team.id(), role, rank++);
        }
    }
}
