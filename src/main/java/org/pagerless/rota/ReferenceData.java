package org.pagerless.rota;

import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.platform.Jdbc;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineModule;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Leave;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Rota;
import org.pagerless.rota.model.RotaOverride;
import org.pagerless.rota.model.Rotation;
import org.pagerless.rota.model.Shift;
import org.pagerless.rota.model.Staff;
import org.pagerless.rota.model.Ward;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The hospital's reference data and rota held in memory, so intake and routing never wait on the
 * database. Loaded at start, reloaded at once when a rota change is announced ({@link RotaEvents}) and
 * refreshed every few seconds as a safety net; if the database is unreachable the last good copy keeps serving.
 */
@ApplicationScoped
public class ReferenceData implements EngineModule {
    @Inject
    Jdbc jdbc;
    @Inject
    Engine engine;
    @ConfigProperty(name = "pagerless.reference-data.refresh", defaultValue = "10s")
    Duration refreshEvery;

    @Inject
    java.time.InstantSource clock;

    private volatile Hospital hospital = Hospital.empty();
    /** Mobile numbers (E.164) by staff id, for SMS and voice; staff without one are absent. */
    private volatile Map<String, String> phones = Map.of();
    /** How many reloads have begun: each write here, each rota event and each safety-net refresh starts one. */
    private final java.util.concurrent.atomic.AtomicLong reloads = new java.util.concurrent.atomic.AtomicLong();

    void load(@Observes @Priority(10) StartupEvent start) {
        refresh();
        engine.loop(this).start();
    }

    public Hospital hospital() {
        return hospital;
    }

    /** The ward's name ("7B") for page texts, or the id when unknown; null for none. */
    public String wardName(String wardId) {
        return wardId == null ? null : hospital.ward(wardId).map(w -> w.name()).orElse(wardId);
    }

        /** The person's mobile number (E.164), if they have one. */
    public java.util.Optional<String> phoneOf(String staffId) {
        return java.util.Optional.ofNullable(phones.get(staffId));
    }

    /** Who has this mobile number (E.164), if anyone. */
    public java.util.Optional<String> staffWithPhone(String phone) {
        return phones.entrySet().stream().filter(e -> e.getValue().equals(phone)).map(Map.Entry::getKey).findFirst();
    }

    /**
     * How many reloads have begun on this pod. A reload begins after the write it follows has been committed, so
     * anything read from the database after this count was taken is at least as new as the rota this pod routes by;
     * while the count has not moved, no change has been announced here since ({@link RotaLists} keeps the admin
     * lists on that rule).
     */
    public long reloads() {
        return reloads.get();
    }

    @Override
    public String name() {
        return "reference-data";
    }

    @Override
    public Duration every() {
        return refreshEvery;
    }

    /** The safety net behind the reloads on change; if the database cannot be asked the last good copy serves on. */
    @Override
    public Next tick(Instant now) {
        refresh();
        return Next.regular();
    }

    /**
     * Reloads now; call after changing reference data so new resolutions see it at once. Reloads run one at a
     * time (writes, rota events and the schedule all call this), so one that read the database before a change
     * can never finish after, and overwrite, one that read it after.
     */
    public synchronized void refresh() {
        reloads.incrementAndGet();
        Instant now = clock.instant();
        Map<String, String> numbers = new java.util.HashMap<>();
        hospital = jdbc.transaction(c -> {
            Map<String, List<String>> covering = new LinkedHashMap<>();
            for (String[] rw : Jdbc.query(c, "select ward_id, role_id from role_ward order by ward_id, rank",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                covering.computeIfAbsent(rw[0], k -> new ArrayList<>()).add(rw[1]);
            }
            List<Ward> wards = Jdbc.query(c, "select id, name from ward",
                    rs -> new Ward(rs.getString(1), rs.getString(2), covering.getOrDefault(rs.getString(1), List.of())));
            List<Role> roles = Jdbc.query(c, "select id, name, specialty, bleep from role",
                    rs -> new Role(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            List<Staff> staff = Jdbc.query(c, "select id, display_name, grade, app_role, phone from staff", rs -> {
                String phone = rs.getString(5);
                if (phone != null && !phone.isBlank()) {
                    numbers.put(rs.getString(1), phone.trim());
                }
                return new Staff(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            });
            // Only the shifts that can matter: a day back, two weeks ahead.
            List<Shift> shifts = shifts(c, now.minus(1, ChronoUnit.DAYS), now.plus(14, ChronoUnit.DAYS));
            return new Hospital(wards, roles, staff, new Rota(shifts, rotations(c, now), overrides(c, now),
                    leave(c, now)));
        });
        phones = Map.copyOf(numbers);
    }

    /**
     * The rota for [{@code from}, {@code to}), read from the database rather than the cache (which holds only a day
     * back to two weeks ahead): for calendar feeds over a wider window.
     */
    public Rota rotaBetween(Instant from, Instant to) {
        return jdbc.transaction(c -> {
            // The loaders keep what has not ended a day before the "now" they are given: here, before 'from'.
            Instant asOf = from.plus(1, ChronoUnit.DAYS);
            return new Rota(shifts(c, from, to), rotations(c, asOf), overrides(c, asOf), leave(c, asOf));
        });
    }

    /** The shifts that overlap [{@code from}, {@code to}). */
    private static List<Shift> shifts(Connection c, Instant from, Instant to) throws SQLException {
        return Jdbc.query(c,
                "select role_id, staff_id, starts_at, ends_at from shift where ends_at > ? and starts_at < ?",
                rs -> new Shift(rs.getString(1), rs.getString(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4)), from, to);
    }

    /** Rotations still running a day back: they are rules, expanded only for the instant or window asked about. */
    private static List<Rotation> rotations(Connection c, Instant now) throws SQLException {
        return Jdbc.query(c, "select id, role_id, staff, days, start_time, end_time, start_date, end_date"
                + " from rotation where end_date is null or end_date >= ?", rs -> {
                    java.util.Set<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
                    for (Object day : (Object[]) rs.getArray(4).getArray()) {
                        days.add(java.time.DayOfWeek.of(((Number) day).intValue()));
                    }
                    return new Rotation(rs.getString(1), rs.getString(2),
                            List.of((String[]) rs.getArray(3).getArray()), days,
                            rs.getObject(5, java.time.LocalTime.class), rs.getObject(6, java.time.LocalTime.class),
                            rs.getObject(7, java.time.LocalDate.class), rs.getObject(8, java.time.LocalDate.class));
                }, java.time.LocalDate.ofInstant(now, Rotation.ZONE).minusDays(2));
    }

    private static List<RotaOverride> overrides(Connection c, Instant now) throws SQLException {
        Instant dayBack = now.minus(1, ChronoUnit.DAYS);
        List<RotaOverride> overrides = new ArrayList<>(Jdbc.query(c,
                "select role_id, kind, staff_id, replaced_staff_id, starts_at, ends_at"
                        + " from rota_override where ends_at > ? order by id",
                rs -> new RotaOverride(rs.getString(1),
                        RotaOverride.Kind.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)),
                        rs.getString(3), rs.getString(4), Jdbc.instant(rs, 5), Jdbc.instant(rs, 6)), dayBack));
        // An accepted swap is a replacement of the requester by the counterpart for its period.
        overrides.addAll(Jdbc.query(c, "select role_id, requester_id, counterpart_id, starts_at, ends_at"
                + " from rota_swap where status = 'accepted' and ends_at > ? order by id",
                rs -> new org.pagerless.rota.model.Swap(rs.getString(1), rs.getString(2), rs.getString(3),
                        Jdbc.instant(rs, 4), Jdbc.instant(rs, 5), org.pagerless.rota.model.Swap.Status.ACCEPTED)
                        .asOverride(), dayBack));
        return overrides;
    }

    private static List<Leave> leave(Connection c, Instant now) throws SQLException {
        return Jdbc.query(c, "select staff_id, starts_at, ends_at from staff_leave where ends_at > ?",
                rs -> new Leave(rs.getString(1), Jdbc.instant(rs, 2), Jdbc.instant(rs, 3)), now.minus(1, ChronoUnit.DAYS));
    }
}
