package org.pagerless.platform;

/** The Kafka topics Pagerless owns. Names are shared with tests and other systems. */
public final class Topics {
    /**
     * Every change to a task not in the stat lane, keyed by task id: with the next, the only way a task's state
     * changes.
     */
    public static final String TASK_COMMANDS = "pagerless.task-commands.v1";
    /**
     * The same, for stat tasks (their lane, read from the task id): read by consumers of its own, so a stat task's
     * commands never wait behind a backlog of routine ones (ADR 0099).
     */
    public static final String STAT_TASK_COMMANDS = "pagerless.task-commands.stat.v1";
    /** What happened to tasks, keyed by task id: the audit stream and the live feed. */
    public static final String TASK_EVENTS = "pagerless.task-events.v1";
    /** Notifications to deliver, planned from task events, keyed by the recipient's staff id. */
    public static final String NOTIFICATIONS = "pagerless.notifications.v1";
    /** Bleeps and tasks published as JSON by other hospital systems. */
    public static final String INTAKE = "pagerless.intake.v1";
    /** Intake records that could not be accepted, with the reason in a header. */
    public static final String INTAKE_DLQ = "pagerless.intake.dlq.v1";
    /** Rota and reference data changed, keyed by role id or "reference-data": every pod reloads its copy. */
    public static final String ROTA_EVENTS = "pagerless.rota-events.v1";
    /** Messages to store, keyed by conversation id: one writer per conversation (docs/conversations.md). */
    public static final String CONVERSATION_COMMANDS = "pagerless.conversation-commands.v1";
    /** Messages stored, keyed by conversation id, with who they were posted to: every pod pushes them live. */
    public static final String CONVERSATION_EVENTS = "pagerless.conversation-events.v1";
    /**
     * The outbound stream for integrators, keyed by task id: one JSON record per task event, without patient data
     * (schema docs/schemas/integration-event.v1.schema.json; ADR 0037).
     */
    public static final String INTEGRATION_EVENTS = "pagerless.integration-events.v1";
    /**
     * Header on {@value #TASK_EVENTS} records naming the event's type (its simple class name, as the envelope's
     * {@code type} field): a consumer that needs only some types skips the others without reading the JSON. Records
     * written before the header existed have none; consumers then read the envelope's {@code type}.
     */
    public static final String EVENT_TYPE_HEADER = "pagerless-event-type";
    /** Header on DLQ records saying why the record was refused. */
    public static final String DLQ_REASON_HEADER = "pagerless-dlq-reason";

    private Topics() {
    }
}
