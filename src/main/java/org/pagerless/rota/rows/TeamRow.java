package org.pagerless.rota.rows;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code team}: a broadcast team (e.g. the crash team). */
@Entity
@Table(name = "team")
public class TeamRow extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
}
