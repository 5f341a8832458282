package org.pagerless.escalation;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.pagerless.platform.Jdbc;

import org.pagerless.escalation.model.Handover;
import org.pagerless.escalation.model.Handover.Departure;
import org.pagerless.rota.model.Hospital;
import org.pagerless.rota.model.Role;
import org.pagerless.rota.model.Staff;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.HandOverTask;

/**
 * One detector of handovers (ADR 0010). Any number may run at once, on one pod or many: each check claims the roles'
 * {@code handover_watch} rows with {@code FOR UPDATE SKIP LOCKED}, finds who stopped holding each role since it was
 * last checked (the rota, pure), publishes a {@link HandOverTask} for every open task of that role they were offered
 * or owned, waits for the broker's acknowledgement, then moves the rows on and commits. If anything fails before the
 * commit the rows stay and the next check publishes the same commands again: their ids are derived from task, role,
 * person and instant, so the processor applies each once.
 */
public final class HandoverCheck {
    /** Where the check's commands go: returns once the broker has every one; throws if any was not taken. */
    @FunctionalInterface
    public interface CommandSink {
        void submitAll(List<TaskCommand> commands);
    }

    private final Jdbc jdbc;
    private final HandoverStore store;
    private final Supplier<Hospital> hospitals;
    private final BiFunction<String, String, List<Task>> heldFor;
    private final CommandSink gateway;
    private final InstantSource clock;
    private final Duration settle;

    /**
     * {@code heldFor(role, staff)}: the open tasks of that role the person is offered or owns. {@code settle}: how far
     * behind the clock to check, so an offer decided just before a shift ended is committed before it is looked for.
     */
    public HandoverCheck(Jdbc jdbc, HandoverStore store, Supplier<Hospital> hospitals,
                         BiFunction<String, String, List<Task>> heldFor, CommandSink gateway, InstantSource clock,
                         Duration settle) {
        this.jdbc = jdbc;
        this.store = store;
        this.hospitals = hospitals;
        this.heldFor = heldFor;
        this.gateway = gateway;
        this.clock = clock;
        this.settle = settle;
    }

    /**
     * Hands over everything due up to now (less the settle time); returns how many handover commands the broker took.
     * Throws when the database or the broker is unavailable; nothing is then marked checked.
     */
    public int check() {
        Hospital hospital = hospitals.get();
        Instant until = clock.instant().minus(settle);
        jdbc.transaction(c -> {
            store.watch(c, hospital.roles().stream().map(Role::id).toList(), until);
            store.rewind(c, until);
        });
        return jdbc.transaction(c -> {
            Map<String, Instant> claimed = store.claim(c, until);
            if (claimed.isEmpty()) {
                return 0;
            }
            List<TaskCommand> commands = new ArrayList<>();
            claimed.forEach((roleId, since) -> {
                for (Departure d : Handover.departures(hospital, roleId, since, until)) {
                    String name = hospital.staff(d.staffId()).map(Staff::displayName).orElse(d.staffId());
                    for (Task task : heldFor.apply(roleId, d.staffId())) {
                        commands.add(HandOverTask.of(task.id(), roleId, d.staffId(), d.at(),
                                Handover.note(d.at(), name)));
                    }
                }
            });
            if (!commands.isEmpty()) {
                gateway.submitAll(commands);
            }
            store.checked(c, claimed.keySet(), until);
            return commands.size();
        });
    }
}
