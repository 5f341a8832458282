package org.pagerless.task;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.pagerless.task.model.Priority;
import org.pagerless.task.model.TaskStatus;

/**
 * Which tasks to list: every criterion is optional (null or empty: any). {@code visible} limits the list to what
 * the caller may see ({@link TaskAccess}; null: every task). {@code updated} bounds the last
 * change, each as {@code <}, {@code <=}, {@code >} or {@code >=} an instant.
 */
public record TaskSearch(Set<TaskStatus> statuses, String wardId, Priority priority, String owner, String requester,
                         String nhsNumber, List<Bound> updated, TaskAccess.Visibility visible) {

    public TaskSearch {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        updated = updated == null ? List.of() : List.copyOf(updated);
    }

    /**
     * Whether {@code task} is one {@link TaskQueries#search} would list: the same criteria, read in memory (a FHIR
     * Subscription's criteria are checked against each change as it happens).
     */
    public boolean matches(org.pagerless.task.model.Task task) {
        return (statuses.isEmpty() || statuses.contains(task.status()))
                && (wardId == null || wardId.equals(task.details().wardId()))
                && (priority == null || priority == task.priority())
                && (owner == null || owner.equals(task.owner()))
                && (requester == null || requester.equals(task.requester()))
                && (nhsNumber == null || (task.details().patient() != null
                        && nhsNumber.equals(task.details().patient().nhsNumber())))
                && updated.stream().allMatch(b -> b.holds(task.updatedAt()))
                && (visible == null || visible.everything() || visible.person().equals(task.requester())
                        || visible.person().equals(task.owner()) || task.offeredTo().contains(visible.person())
                        || visible.wards().contains(task.details().wardId()));
    }

    /** One bound on the last-updated time. */
    public record Bound(Comparison comparison, Instant at) {
        boolean holds(Instant updatedAt) {
            int c = updatedAt.compareTo(at);
            return switch (comparison) {
                case BEFORE -> c < 0;
                case AT_OR_BEFORE -> c <= 0;
                case AFTER -> c > 0;
                case AT_OR_AFTER -> c >= 0;
            };
        }
    }

    public enum Comparison {
        BEFORE("<"), AT_OR_BEFORE("<="), AFTER(">"), AT_OR_AFTER(">=");

        final String sql;

        Comparison(String sql) {
            this.sql = sql;
        }
    }

    /** One page of the matching tasks, and how many match in all. */
    public record Page(List<org.pagerless.task.model.Task> tasks, int total) {
    }
}
