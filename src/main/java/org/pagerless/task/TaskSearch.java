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

    /** One bound on the last-updated time. */
    public record Bound(Comparison comparison, Instant at) {
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
