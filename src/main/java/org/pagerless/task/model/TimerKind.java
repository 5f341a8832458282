package org.pagerless.task.model;

/** What a task's timer is waiting for. */
public enum TimerKind {
    /** Someone to accept the offer; on expiry the offer is repeated or the chain moves on. */
    ACK_TIMEOUT,
    /** The owner to start the work; on expiry the owner is reminded and the nurse in charge sees it. */
    NOT_STARTED,
    /** The owner to complete the work; on expiry the owner is reminded and the nurse in charge sees it. */
    NOT_COMPLETED;

    /** The wire code, e.g. {@code "not-started"}. */
    public String code() {
        return name().toLowerCase().replace('_', '-');
    }
}
