package org.pagerless.platform;

import java.util.List;
import java.util.UUID;

/**
 * Parked records were shown to the caller of the current request (a CDI event, observed synchronously by the
 * patient-read audit): a parked intake record or command can hold a patient's NHS number and name. An observer that
 * throws fails the read, so a read that cannot be audited is not answered.
 */
public record ParkedRecordsRead(String channel, List<Shown> records) {

    /** One record shown: its id and its value as text (null when it is not UTF-8 or empty). */
    public record Shown(UUID id, String value) {
    }
}
