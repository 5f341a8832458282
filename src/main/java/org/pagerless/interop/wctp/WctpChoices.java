package org.pagerless.interop.wctp;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What a WCTP client asked of its page: the reply texts of a multiple-choice (MCR) page (the first means accept, the
 * second decline) and whether it wants to hear of delivery ({@code notifyWhenDelivered}).
 */
@ApplicationScoped
public class WctpChoices {
    @Inject
    Jdbc jdbc;

    /** Records the choices once (a retried submit keeps the first). */
    void remember(UUID taskId, String sender, List<String> choices, boolean notifyDelivered, Instant now) {
        jdbc.transaction(c -> {
            Jdbc.update(c, "insert into wctp_choices (task_id, sender, choices, notify_delivered, created_at)"
                    + " values (?, ?, ?, ?, ?) on conflict (task_id) do nothing", taskId, sender,
                    c.createArrayOf("text", choices.toArray()), notifyDelivered, now);
        });
    }

    /** Whether the client asked to hear when its page was delivered. */
    boolean notifyDelivered(UUID taskId) {
        return jdbc.queryOne("select notify_delivered from wctp_choices where task_id = ?", rs -> rs.getBoolean(1), taskId)
                .orElse(false);
    }

    /** The choices of the task's page, or empty for a plain (alphanumeric) page. */
    List<String> of(UUID taskId) {
        return jdbc.queryOne("select choices from wctp_choices where task_id = ?",
                rs -> Arrays.asList((String[]) rs.getArray(1).getArray()), taskId).orElse(List.of());
    }
}
