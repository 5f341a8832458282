package org.pagerless.rota;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.pagerless.platform.Jdbc;
import org.pagerless.rota.model.Hospital;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The teams a 2222 / major-incident broadcast goes to (tables {@code team}, {@code team_role}), as the task processor
 * and broadcasts read them: over JDBC (ADR 0006), from the database each time: broadcasts are rare and a team edited
 * a minute ago must count. Admins change them through {@link TeamStore}.
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
}
