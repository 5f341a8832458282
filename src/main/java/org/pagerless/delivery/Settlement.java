package org.pagerless.delivery;

import org.pagerless.delivery.DeliveryMetrics.ReasonClass;
import org.pagerless.delivery.model.DeliveryStatus;

/**
 * How a step is settled without a send: {@code withdrawn} (no longer needed, or nowhere to send it; no metric),
 * {@code failed} with the address it would have gone to and the failure's class, or, for an in-app step written when
 * it is planned, {@code sent} (ADRs 0072, 0078, 0079).
 */
record Settlement(DeliveryStatus status, String reason, String address, ReasonClass reasonClass) {

    /** As the outcome of claimed row {@code d} (a failure counted): what a lane records when it settles a claim. */
    Outcome outcome(Delivery d, DeliveryMetrics metrics) {
        return status == DeliveryStatus.WITHDRAWN ? Outcome.withdrawn(d, reason)
                : PhoneChecks.failed(d, address, reason, reasonClass, metrics);
    }
}
