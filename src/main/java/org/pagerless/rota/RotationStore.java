package org.pagerless.rota;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.pagerless.rota.RotationResource.RotationDocument;
import org.pagerless.rota.model.Rotation;
import org.pagerless.rota.rows.RotationRow;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code rotation} table ({@link RotationRow}): rule-based rotations, expanded on demand by the rota. */
@ApplicationScoped
public class RotationStore {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** Every rotation that has not ended by {@code now}'s date in London. */
    @WithSession
    public Uni<List<RotationDocument>> current(Instant now) {
        return RotationRow.<RotationRow>list("endDate is null or endDate >= ?1 order by id",
                LocalDate.ofInstant(now, Rotation.ZONE)).map(rows -> rows.stream().map(r -> new RotationDocument(r.id,
                        r.roleId, r.name, List.of(r.staff), Arrays.stream(r.days).map(d -> DayOfWeek.of(d).name()
                                .toLowerCase(Locale.ROOT)).toList(), r.startTime.format(HH_MM), r.endTime.format(HH_MM),
                        r.startDate.toString(), r.endDate == null ? null : r.endDate.toString())).toList());
    }

    /** Adds a rotation; answers its id. */
    @WithTransaction
    public Uni<Long> add(String roleId, String name, List<String> staff, Set<DayOfWeek> days, LocalTime start,
                         LocalTime end, LocalDate startDate, LocalDate endDate, String by) {
        RotationRow row = new RotationRow();
        row.roleId = roleId;
        row.name = name;
        row.staff = staff.toArray(String[]::new);
        row.days = days.stream().map(d -> (short) d.getValue()).toArray(Short[]::new);
        row.startTime = start;
        row.endTime = end;
        row.startDate = startDate;
        row.endDate = endDate;
        row.createdBy = by;
        return row.<RotationRow>persist().map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> delete(long id) {
        return RotaWrites.deleted(RotationRow.delete("id", id), "no rotation " + id);
    }
}
