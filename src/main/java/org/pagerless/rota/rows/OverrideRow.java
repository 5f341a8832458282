package org.pagerless.rota.rows;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code rota_override}: for [startsAt, endsAt), kind 'add' makes staffId a holder of roleId as well,
 * 'remove' takes replacedStaffId off, 'replace' puts staffId in replacedStaffId's place (created_at is the database's).
 */
@Entity
@Table(name = "rota_override")
public class OverrideRow extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "role_id")
    public String roleId;
    public String kind;
    @Column(name = "staff_id")
    public String staffId;
    @Column(name = "replaced_staff_id")
    public String replacedStaffId;
    @Column(name = "starts_at")
    public Instant startsAt;
    @Column(name = "ends_at")
    public Instant endsAt;
    public String reason;
    @Column(name = "created_by")
    public String createdBy;
}
