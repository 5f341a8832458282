package org.pagerless.rota.rows;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code role}: a role on the rota, with its bleep. */
@Entity
@Table(name = "role")
public class RoleRow extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Column(name = "site_id")
    public String siteId;
    public String specialty;
    public String bleep;
}
