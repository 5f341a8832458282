package org.pagerless.rota.rows;

import java.time.LocalDate;
import java.time.LocalTime;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code rotation}: on each of days (ISO numbers, Monday 1) from startDate (to endDate), a shift of roleId
 * from local startTime to endTime (Europe/London), given to staff in turn (created_at is the database's).
 */
@Entity
@Table(name = "rotation")
public class RotationRow extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "role_id")
    public String roleId;
    public String name;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] staff;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public Short[] days;
    @Column(name = "start_time")
    public LocalTime startTime;
    @Column(name = "end_time")
    public LocalTime endTime;
    @Column(name = "start_date")
    public LocalDate startDate;
    @Column(name = "end_date")
    public LocalDate endDate;
    @Column(name = "created_by")
    public String createdBy;
}
