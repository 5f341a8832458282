package org.pagerless.task;

import java.util.Set;
import java.util.UUID;

import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.identity.IntegrationSystems;
import org.pagerless.task.model.Task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Which tasks a caller may see, the one rule behind every door (REST, FHIR, deliveries): supervisors see every
 * task; anyone else sees the tasks they raised, were offered or own (an allow-list, so a new role sees nothing more),
 * and a hospital system also the tasks of the wards in its scope (set by an admin, {@link IntegrationSystems}).
 */
@ApplicationScoped
public class TaskAccess {
    @Inject
    TaskQueries queries;
    @Inject
    IntegrationSystems systems;

    /** Every task ({@code person} null), or those involving {@code person} and those of the {@code wards}. */
    public record Visibility(String person, Set<String> wards) {
        public static final Visibility ALL = new Visibility(null, Set.of());

        public Visibility {
            wards = wards == null ? Set.of() : Set.copyOf(wards);
        }

        public boolean everything() {
            return person == null;
        }
    }

    public Visibility of(Caller caller) {
        if (caller.isSupervisor()) {
            return Visibility.ALL;
        }
        return new Visibility(caller.staffId(), AppRoles.INTEGRATION.equals(caller.appRole())
                ? systems.wards(caller.staffId()) : Set.of());
    }

    /** Whether the caller may see this task (and its patient). */
    public boolean maySee(Caller caller, Task task) {
        Visibility visibility = of(caller);
        return visibility.everything()
                || (task.details() != null && task.details().wardId() != null
                        && visibility.wards().contains(task.details().wardId()))
                || queries.involved(task.id(), caller.staffId());
    }

    /** As {@link #maySee(Caller, Task)}, for a task that may not exist (false then). */
    public boolean maySee(Caller caller, UUID taskId) {
        return queries.find(taskId).map(t -> maySee(caller, t)).orElse(false);
    }
}
