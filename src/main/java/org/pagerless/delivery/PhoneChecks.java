package org.pagerless.delivery;

import java.util.Optional;

import org.pagerless.delivery.DeliveryMetrics.ReasonClass;

/**
 * What a text and a call check alike before they go, in order: still needed, the channel configured, a number on
 * record, that number confirmed. A text also checks STOP and its bundling window (SMS dispatch); a call does not.
 * The same checks settle a text or call step due the moment it is planned ({@link SettledAtPlanning}).
 */
final class PhoneChecks {
    private PhoneChecks() {
    }

    /**
     * The stop that settles a text or call without sending, if one of the shared checks says so; empty when it may go
     * to {@code to.phone()}. {@code unneeded}: why the page is no longer needed (null if it is); {@code channelRefusal}:
     * why the channel cannot send at all; {@code to}: the person's reach (null if unknown).
     */
    static Optional<Settlement> why(String unneeded, Optional<String> channelRefusal, Contacts.Reach to) {
        String phone = to == null ? null : to.phone();
        if (unneeded != null) {
            return Optional.of(Settlement.withdrawn(unneeded));
        } else if (channelRefusal.isPresent()) {
            return Optional.of(Settlement.failed(channelRefusal.get(), null, ReasonClass.NOT_CONFIGURED));
        } else if (phone == null) {
            return Optional.of(Settlement.failed("no mobile number on record", null, ReasonClass.NO_ADDRESS));
        } else if (!to.confirmed()) {
            return Optional.of(Settlement.failed(PhoneConfirmations.NOT_CONFIRMED, phone, ReasonClass.NOT_CONFIRMED));
        }
        return Optional.empty();
    }

    /**
     * The outcome that settles claimed row {@code d} without sending, if {@link #why} stops it (a failure counted);
     * empty when it may go to {@code to.phone()}.
     */
    static Optional<Outcome> stop(Delivery d, String unneeded, Optional<String> channelRefusal,
            Contacts.Reach to, DeliveryMetrics metrics) {
        return why(unneeded, channelRefusal, to).map(s -> s.outcome(d, metrics));
    }

    static Outcome failed(Delivery d, String address, String reason, ReasonClass reasonClass,
            DeliveryMetrics metrics) {
        metrics.failure(d.channel(), reasonClass);
        return Outcome.failed(d, reason, address);
    }
}
