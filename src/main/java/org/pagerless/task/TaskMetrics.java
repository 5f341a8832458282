package org.pagerless.task;

import java.time.Duration;

import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Ward;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskDetails;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskEvent.EscalationReason;
import org.pagerless.task.model.TaskEvent.SwitchboardAlerted;
import org.pagerless.task.model.TaskEvent.TaskAccepted;
import org.pagerless.task.model.TaskEvent.TaskEscalated;
import org.pagerless.task.model.TaskEvent.TaskFailed;
import org.pagerless.task.model.TaskEvent.TaskOffered;
import org.pagerless.task.model.TaskEvent.TaskOverdue;
import org.pagerless.task.model.TaskEvent.TaskRaised;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The clinical measures of tasks, recorded by {@link TaskProcessor} once a batch's events are committed and
 * published (so a batch retried after a failure is not counted twice). In Prometheus:
 * <ul>
 * <li>{@code pagerless_tasks_raised_total{priority,ward}}</li>
 * <li>{@code pagerless_tasks_time_to_accept_seconds{priority,ward}}: raised to accepted, a histogram with buckets
 * from 10 s to 1 h (acceptance timeouts are minutes: stat 2, urgent 10)</li>
 * <li>{@code pagerless_tasks_escalated_total{level,priority,reason}}: {@code level} is the step entered</li>
 * <li>{@code pagerless_tasks_unaccepted_past_timeout_total{level,priority,ward}}: an acceptance timeout passed with
 * nobody accepting (the step offered again, the chain moved on, or the task failed); {@code level} is the step
 * whose timeout passed. The stat alert reads its {@code priority}</li>
 * <li>{@code pagerless_alerts_switchboard_total{reason}}, {@code pagerless_tasks_failed_total},
 * {@code pagerless_tasks_overdue_total{kind}}</li>
 * </ul>
 * Tags are bounded and never patient data (ADR 0030): priority codes, escalation levels, fixed reasons, and the
 * ward's id from the hospital's reference data ({@code none} for a task without a ward, {@code other} for an id the
 * reference data does not know), never a bed, a name, an NHS number or free text.
 */
@ApplicationScoped
public class TaskMetrics {
    /** The ward tag of a task without a ward (a bleep). */
    static final String NO_WARD = "none";
    /** The ward tag of a ward id the reference data does not (or no longer) know: keeps the tag's values bounded. */
    static final String OTHER_WARD = "other";
    /** Escalation levels above this share one tag value: a chain is a handful of steps, its tag stays bounded. */
    static final int MAX_LEVEL_TAG = 9;
    /** Time-to-accept buckets: around every priority's acceptance timeout (stat 2 min ... routine 30 min). */
    static final Duration[] TIME_TO_ACCEPT_BUCKETS = {
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(3), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15),
        Duration.ofMinutes(20), Duration.ofMinutes(30), Duration.ofHours(1) };

    @Inject
    MeterRegistry registry;
    @Inject
    ReferenceData referenceData;

    /** Records what {@code event} means for the measures; {@code task} is the task after the event's command. */
    void record(TaskEvent event, Task task) {
        if (event instanceof TaskRaised raised) {
            Counter.builder("pagerless.tasks.raised").description("Bleeps, tasks and broadcasts raised")
                    .tag("priority", raised.priority().code()).tag("ward", ward(raised.details()))
                    .register(registry).increment();
        } else if (event instanceof TaskAccepted accepted && task != null) {
            Timer.builder("pagerless.tasks.time_to_accept").description("From a task being raised to its acceptance")
                    .tag("priority", task.priority().code()).tag("ward", ward(task.details()))
                    .serviceLevelObjectives(TIME_TO_ACCEPT_BUCKETS)
                    .register(registry).record(Duration.between(task.raisedAt(), accepted.at()));
        } else if (event instanceof SwitchboardAlerted alert) {
            Counter.builder("pagerless.alerts.switchboard").tag("reason", alert.reason().name().toLowerCase())
                    .register(registry).increment();
        } else if (event instanceof TaskEscalated escalated) {
            Counter.builder("pagerless.tasks.escalated").description("Steps up an escalation chain")
                    .tag("reason", escalated.reason().name().toLowerCase())
                    .tag("priority", priority(task)).tag("level", level(escalated.toLevel()))
                    .register(registry).increment();
            if (escalated.reason() == EscalationReason.NOT_ACCEPTED_IN_TIME) {
                unacceptedPastTimeout(task, escalated.fromLevel());
            }
        } else if (event instanceof TaskFailed failed) {
            Counter.builder("pagerless.tasks.failed").register(registry).increment();
            if (failed.reason() == EscalationReason.NOT_ACCEPTED_IN_TIME) {
                unacceptedPastTimeout(task, failed.level());
            }
        } else if (event instanceof TaskOffered offered && offered.round() > 0) {
            // The same step offered again: only ever because its acceptance timeout passed (Task.notAcceptedInTime).
            unacceptedPastTimeout(task, offered.level());
        } else if (event instanceof TaskOverdue overdue) {
            Counter.builder("pagerless.tasks.overdue").tag("kind", overdue.overdue().code()).register(registry)
                    .increment();
        }
    }

    private void unacceptedPastTimeout(Task task, int level) {
        Counter.builder("pagerless.tasks.unaccepted.past.timeout")
                .description("Acceptance timeouts that passed with nobody accepting the task")
                .tag("priority", priority(task)).tag("ward", task == null ? NO_WARD : ward(task.details()))
                .tag("level", level(level)).register(registry).increment();
    }

    private String ward(TaskDetails details) {
        String wardId = details == null ? null : details.wardId();
        if (wardId == null || wardId.isBlank()) {
            return NO_WARD;
        }
        return referenceData.hospital().ward(wardId).filter(w -> w.id().equals(wardId)).map(Ward::id)
                .orElse(OTHER_WARD);
    }

    private static String priority(Task task) {
        return task == null ? "unknown" : task.priority().code();
    }

    static String level(int level) {
        return level > MAX_LEVEL_TAG ? (MAX_LEVEL_TAG + 1) + "+" : Integer.toString(Math.max(level, 0));
    }
}
