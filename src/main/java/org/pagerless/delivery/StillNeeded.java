package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.pagerless.task.TaskQueries;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether claimed deliveries should still go: not once expired, no longer offered to the person, or read on an
 * earlier channel. Asked once per claim, in two queries however many rows it has (issue 13).
 */
@ApplicationScoped
public class StillNeeded {
    @Inject
    TaskQueries tasks;
    @Inject
    DeliveryOutbox outbox;

    /** The rows of {@code claimed} that should not go, by id, each with its reason; the others must go. */
    Map<UUID, String> whyNot(List<Delivery> claimed, Instant now) throws SQLException {
        Map<UUID, String> reasons = new HashMap<>();
        List<Delivery> live = new ArrayList<>(claimed.size());
        for (Delivery d : claimed) {
            if (now.isAfter(d.expiresAt())) {
                reasons.put(d.id(), "expired before it could be sent");
            } else if (!d.isMessage()) { // a new-message push has no task to be offered; it goes once, by push alone
                live.add(d);
            }
        }
        if (live.isEmpty()) {
            return reasons;
        }
        Map<UUID, List<String>> offered = tasks.offeredNow(live.stream().map(Delivery::taskId).toList());
        Set<UUID> read = outbox.readOf(live.stream().filter(d -> d.step() > 0).map(Delivery::notificationId).toList());
        for (Delivery d : live) {
            List<String> to = offered.get(d.taskId());
            if (to == null || !to.contains(d.staffId())) {
                reasons.put(d.id(), "no longer offered to this person");
            } else if (d.step() > 0 && read.contains(d.notificationId())) {
                reasons.put(d.id(), "already read on another channel");
            }
        }
        return reasons;
    }
}
