package org.pagerless.delivery;

import java.util.Optional;

import org.pagerless.delivery.DeliveryMetrics.ReasonClass;

/**
 * What a text and a call check alike before they go, in order: still needed, the channel configured, a number on
 * record, that number confirmed. A text also checks STOP and its bundling window (SMS dispatch); a call does not.
 */
final class PhoneChecks {
    private PhoneChecks() {
    }

    /**
     * The outcome that settles {@code d} without sending, if one of the shared checks stops it; empty when it may go to
     * {@code to.phone()}. {@code unneeded}: why the page is no longer needed (null if it is); {@code channelRefusal}:
     * why the channel cannot send at all; {@code to}: the person's reach (null if unknown).
     */
    static Optional<DeliveryClaims.Outcome> stop(Delivery d, String unneeded, Optional<String> channelRefusal,
            Contacts.Reach to, DeliveryMetrics metrics) {
        String phone = to == null ? null : to.phone();
        if (unneeded != null) {
            return Optional.of(DeliveryClaims.Outcome.withdrawn(d, unneeded));
        } else if (channelRefusal.isPresent()) {
            return Optional.of(failed(d, null, channelRefusal.get(), ReasonClass.NOT_CONFIGURED, metrics));
        } else if (phone == null) {
            return Optional.of(failed(d, null, "no mobile number on record", ReasonClass.NO_ADDRESS, metrics));
        } else if (!to.confirmed()) {
            return Optional.of(failed(d, phone, PhoneConfirmations.NOT_CONFIRMED, ReasonClass.NOT_CONFIRMED, metrics));
        }
        return Optional.empty();
    }

    static DeliveryClaims.Outcome failed(Delivery d, String address, String reason, ReasonClass reasonClass,
            DeliveryMetrics metrics) {
        metrics.failure(d.channel(), reasonClass);
        return DeliveryClaims.Outcome.failed(d, reason, address);
    }
}
