package org.pagerless.rota.rows;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A row of {@code role}: a role on the rota, with its bleep. */
@Entity
@Table(name = "role")
@NamedQuery(name = RoleRow.WITH_WARDS, query = "select new org.pagerless.rota.rows.RoleLine(r.id, r.name, r.siteId,"
        + " r.specialty, r.bleep, w.wardId, w.rank) from RoleRow r left join RoleWardRow w on w.roleId = r.id"
        + " order by r.name, r.id, w.wardId")
public class RoleRow extends PanacheEntityBase {
    /**
     * Every role by name, one {@link RoleLine} per ward it covers (wards by id) or one with no ward: one query for
     * the role list. A named query: parsed when Hibernate boots, not on a request.
     */
    public static final String WITH_WARDS = "RoleRow.withWards";

    @Id
    public String id;
    public String name;
    @Column(name = "site_id")
    public String siteId;
    public String specialty;
    public String bleep;
}
