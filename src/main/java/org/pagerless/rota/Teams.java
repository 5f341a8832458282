package org.pagerless.rota;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.model.Hospital;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The teams a 2222 / major-incident broadcast goes to (tables {@code team}, {@code team_role}), and their store. Read
 * from the database each time: broadcasts are rare and a team edited a minute ago must count. Each write is one
 * transaction.
 */
@ApplicationScoped
public class Teams {
    /** A team and its roles, in rank order. */
    public record Team(String id, String name, List<String> roleIds) {
        public Team {
            roleIds = List.copyOf(roleIds);
        }
    }

    @Inject
    Jdbc jdbc;
    @Inject
    RotaWrites writes;

    /** Every team by name, each with its roles in rank order. */
    public List<Team> all() {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, List<String>> roles = new LinkedHashMap<>();
        jdbc.forEachRow("select t.id, t.name, tr.role_id from team t left join team_role tr on tr.team_id = t.id"
                + " order by t.name, tr.rank", rs -> {
                    names.put(rs.getString(1), rs.getString(2));
                    List<String> list = roles.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (rs.getString(3) != null) {
                        list.add(rs.getString(3));
                    }
                });
        return names.entrySet().stream().map(e -> new Team(e.getKey(), e.getValue(), roles.get(e.getKey()))).toList();
    }

    /** A team by id or by name (case-insensitive). */
    public Optional<Team> find(String idOrName) {
        return all().stream().filter(t -> t.id().equals(idOrName) || t.name().equalsIgnoreCase(idOrName)).findFirst();
    }

    /** Everyone holding any of the team's roles now, each once, in role rank order. */
    public List<String> holders(String teamId, Hospital hospital, Instant now) {
        Set<String> who = new LinkedHashSet<>();
        find(teamId).ifPresent(t -> t.roleIds().forEach(r -> who.addAll(hospital.holdersOf(r, now))));
        return List.copyOf(who);
    }

    public void add(Team team) {
        writes.write(c -> {
            if (Jdbc.exists(c, "select 1 from team where id = ?", team.id())) {
                throw ProblemException.conflict("there is already a team '" + team.id() + "'");
            }
            Jdbc.update(c, "insert into team (name, id) values (?, ?)", team.name(), team.id());
            teamRoles(c, team);
        });
    }

    /** Its name and roles: the list replaces the old one. */
    public void update(Team team) {
        writes.write(c -> {
            if (Jdbc.update(c, "update team set name = ? where id = ?", team.name(), team.id()) == 0) {
                throw ProblemException.notFound("no team '" + team.id() + "'");
            }
            Jdbc.update(c, "delete from team_role where team_id = ?", team.id());
            teamRoles(c, team);
        });
    }

    /** Broadcasts already sent keep their roll-call. */
    public void delete(String id) {
        writes.write(c -> {
            Jdbc.update(c, "delete from team_role where team_id = ?", id);
            if (Jdbc.update(c, "delete from team where id = ?", id) == 0) {
                throw ProblemException.notFound("no team '" + id + "'");
            }
        });
    }

    private static void teamRoles(Connection c, Team team) throws SQLException {
        int rank = 1;
        for (String role : team.roleIds()) {
            Jdbc.update(c, "insert into team_role (team_id, role_id, rank) values (?, ?, ?)", team.id(), role, rank++);
        }
    }
}
