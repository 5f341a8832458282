package org.pagerless.broadcast;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.pagerless.rota.model.Hospital;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The teams a 2222 / major-incident broadcast goes to (table {@code team}, {@code team_role}). Read from the
 * database each time: broadcasts are rare and a team edited a minute ago must count.
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
    DataSource dataSource;

    public List<Team> all() {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, List<String>> roles = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select t.id, t.name, tr.role_id from team t "
                     + "left join team_role tr on tr.team_id = t.id order by t.name, tr.rank");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.put(rs.getString(1), rs.getString(2));
                List<String> list = roles.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (rs.getString(3) != null) {
                    list.add(rs.getString(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read teams", e);
        }
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
}
