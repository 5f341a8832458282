package org.pagerless.rota.rows;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code staff_leave}: staffId is away over [startsAt, endsAt) (created_at is the database's). */
@Entity
@Table(name = "staff_leave")
public class LeaveRow extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "staff_id")
    public String staffId;
    @Column(name = "starts_at")
    public Instant startsAt;
    @Column(name = "ends_at")
    public Instant endsAt;
    public String reason;
    @Column(name = "created_by")
    public String createdBy;
}
