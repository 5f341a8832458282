package org.pagerless.rota.rows;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code site}: one of the trust's hospitals (read only here). */
@Entity
@Table(name = "site")
public class SiteRow extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
}
