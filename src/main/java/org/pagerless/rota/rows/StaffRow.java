package org.pagerless.rota.rows;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code staff}: a member of staff, whose id is also their sign-in name. */
@Entity
@Table(name = "staff")
public class StaffRow extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    public String grade;
    @Column(name = "app_role")
    public String appRole;
    public String phone;
}
