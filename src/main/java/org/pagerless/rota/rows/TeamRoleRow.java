package org.pagerless.rota.rows;

import java.io.Serializable;
import java.util.Objects;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code team_role}: a role whose holders a team's broadcast alerts, at a rank (1 first). */
@Entity
@Table(name = "team_role")
@IdClass(TeamRoleRow.Key.class)
public class TeamRoleRow extends PanacheEntityBase {
    @Id
    @Column(name = "team_id")
    public String teamId;
    @Id
    @Column(name = "role_id")
    public String roleId;
    public int rank;

    public TeamRoleRow() {
    }

    public TeamRoleRow(String teamId, String roleId, int rank) {
        this.teamId = teamId;
        this.roleId = roleId;
        this.rank = rank;
    }

    /** The primary key (team_id, role_id). */
    public static class Key implements Serializable {
        public String teamId;
        public String roleId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(teamId, k.teamId) && Objects.equals(roleId, k.roleId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(teamId, roleId);
        }
    }
}
