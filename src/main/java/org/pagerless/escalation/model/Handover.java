package org.pagerless.escalation.model;

import java.time.Instant;
import java.util.List;

import org.pagerless.rota.model.Hospital;
import org.pagerless.task.model.Task;

/** What a shift change can leave behind. Pure: the rota and the instant are passed in. */
public final class Handover {
    private Handover() {
    }

    /** The open tasks among {@code owned} whose owner holds no role at {@code at}: nobody on duty is doing them. */
    public static List<Task> orphans(List<Task> owned, Hospital hospital, Instant at) {
        return owned.stream()
                .filter(t -> t.owner() != null && t.status().isOpen())
                .filter(t -> offDuty(t.owner(), hospital, at))
                .toList();
    }

    /** Whether {@code staffId} holds no role at {@code at}. */
    public static boolean offDuty(String staffId, Hospital hospital, Instant at) {
        return hospital.roles().stream().noneMatch(r -> hospital.holdersOf(r.id(), at).contains(staffId));
    }
}
