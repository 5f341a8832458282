package org.pagerless.rota.rows;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A row of {@code staff}: a member of staff, whose id is also their sign-in name. */
@Entity
@Table(name = "staff")
@NamedQuery(name = StaffRow.LIST, query = "select new org.pagerless.rota.rows.StaffLine(s.id, s.displayName, s.grade,"
        + " s.appRole, s.phone) from StaffRow s order by s.id")
public class StaffRow extends PanacheEntityBase {
    /** Everyone, by id, as {@link StaffLine}s. A named query: parsed when Hibernate boots, not on a request. */
    public static final String LIST = "StaffRow.list";

    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    public String grade;
    @Column(name = "app_role")
    public String appRole;
    public String phone;
}
