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
 * A row of {@code rota_swap}: requesterId asks counterpartId to hold roleId in their place over [startsAt, endsAt);
 * status requested, accepted or declined. requested_at is the database's own (set on insert).
 */
@Entity
@Table(name = "rota_swap")
public class SwapRow extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "role_id")
    public String roleId;
    @Column(name = "requester_id")
    public String requesterId;
    @Column(name = "counterpart_id")
    public String counterpartId;
    @Column(name = "starts_at")
    public Instant startsAt;
    @Column(name = "ends_at")
    public Instant endsAt;
    public String status;
    @Column(name = "requested_at", insertable = false, updatable = false)
    public Instant requestedAt;
    @Column(name = "decided_at")
    public Instant decidedAt;
}
