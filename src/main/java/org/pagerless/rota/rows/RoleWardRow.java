package org.pagerless.rota.rows;

import java.io.Serializable;
import java.util.Objects;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code role_ward}: a role covers a ward, at a rank in the ward's order of asking (1 first). */
@Entity
@Table(name = "role_ward")
@IdClass(RoleWardRow.Key.class)
public class RoleWardRow extends PanacheEntityBase {
    @Id
    @Column(name = "role_id")
    public String roleId;
    @Id
    @Column(name = "ward_id")
    public String wardId;
    public int rank;

    public RoleWardRow() {
    }

    public RoleWardRow(String roleId, String wardId, int rank) {
        this.roleId = roleId;
        this.wardId = wardId;
        this.rank = rank;
    }

    /** The primary key (role_id, ward_id). */
    public static class Key implements Serializable {
        public String roleId;
        public String wardId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(roleId, k.roleId) && Objects.equals(wardId, k.wardId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(roleId, wardId);
        }
    }
}
