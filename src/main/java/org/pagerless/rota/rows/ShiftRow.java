package org.pagerless.rota.rows;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A row of {@code shift}: an explicit shift, staffId holding roleId over [startsAt, endsAt). */
@Entity
@Table(name = "shift")
@NamedQuery(name = ShiftRow.OVERLAPPING, query = "select new org.pagerless.rota.rows.ShiftLine(s.id, s.roleId,"
        + " s.staffId, s.startsAt, s.endsAt) from ShiftRow s where s.endsAt > :from and s.startsAt < :to"
        + " and s.roleId = coalesce(:roleId, s.roleId) and s.staffId = coalesce(:staffId, s.staffId)"
        + " order by s.startsAt, s.roleId, s.staffId")
public class ShiftRow extends PanacheEntityBase {
    /**
     * The shifts overlapping [{@code from}, {@code to}), narrowed to {@code roleId} and {@code staffId} unless those
     * are null (both columns are {@code not null}, so {@code coalesce} leaves a null filter out; {@code ? is null}
     * would leave PostgreSQL unable to type the parameter), as {@link ShiftLine}s. A named query: parsed when
     * Hibernate boots, not on a request.
     */
    public static final String OVERLAPPING = "ShiftRow.overlapping";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "role_id")
    public String roleId;
    @Column(name = "staff_id")
    public String staffId;
    @Column(name = "starts_at")
    public Instant startsAt;
    @Column(name = "ends_at")
    public Instant endsAt;
}
