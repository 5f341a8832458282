package org.pagerless.task.model;

/** A bleep (call me back), a clinical task, or a broadcast every team member must acknowledge. */
public enum TaskKind {
    BLEEP, TASK, BROADCAST
}
