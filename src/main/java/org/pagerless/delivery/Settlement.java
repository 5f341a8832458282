package org.pagerless.delivery;

import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.model.DeliveryStatus;

/**
 * How a step is settled without a send: {@code withdrawn} (no longer needed, or nowhere to send it; no metric),
 * {@code failed} with the address it would have gone to and the failure's class, or, for an in-app step written when
 * it is planned, {@code sent} (ADRs 0072, 0078, 0079).
 */
record Settlement(DeliveryStatus status, String reason, String address, ReasonClass reasonClass) {

    /** In the person's inbox as planned (an in-app first step): written sent, one attempt. */
    static final Settlement SENT = new Settlement(DeliveryStatus.SENT, null, null, null);

    /** No longer needed, or nowhere to send it: withdrawn, no metric. */
    static Settlement withdrawn(String reason) {
        return new Settlement(DeliveryStatus.WITHDRAWN, reason, null, null);
    }

    /** Cannot go: failed, with the address it would have gone to (null if none) and the failure's class. */
    static Settlement failed(String reason, String address, ReasonClass reasonClass) {
        return new Settlement(DeliveryStatus.FAILED, reason, address, reasonClass);
    }

    /**
     * As the outcome of claimed row {@code d} (a failure counted): what a lane records when it settles a claim. Only
     * planning writes a step sent without a claim, so a sent settlement has no claim outcome.
     */
    Outcome outcome(Delivery d, DeliveryMetrics metrics) {
        return switch (status) {
            case WITHDRAWN -> Outcome.withdrawn(d, reason);
            case FAILED -> PhoneChecks.failed(d, address, reason, reasonClass, metrics);
            default -> throw new IllegalStateException("a " + status + " settlement is written at planning, never claimed");
        };
    }
}
