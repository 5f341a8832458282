package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskStatus;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Staff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Delivery's public read API: where each task's pages have got to, per person offered and per channel
 * (the latest page on each channel), for the task view and the nurse-in-charge board. No patient data:
 * channels, statuses and times only.
 */
@ApplicationScoped
public class DeliveryState {
    @Inject
    DeliveryOutbox outbox;
    @Inject
    ReferenceData referenceData;
    @Inject
    TaskQueries tasks;

    /**
     * A channel's latest page to one person: its status and since when ({@code at} is the due time while
     * it is still pending). {@code reason} says why it failed, was withdrawn or is held.
     */
    public record ChannelState(String channel, String status, Instant at, String reason) {
    }

    /**
     * One person offered the task: whether they have seen it (read on any channel, or answered it: accepted, declined,
     * acknowledged, owns it) and each channel's state.
     */
    public record PersonState(String staffId, String name, boolean seen, List<ChannelState> channels) {
    }

    /** Per task, the people it was sent to (in the order they were first paged). Tasks never paged are absent. */
    public Map<UUID, List<PersonState>> of(Collection<UUID> taskIds) throws SQLException {
        Map<UUID, Map<String, Map<String, Delivery>>> latest = new LinkedHashMap<>();
        for (Delivery d : outbox.ofTasks(taskIds)) {
            latest.computeIfAbsent(d.taskId(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(d.staffId(), s -> new LinkedHashMap<>())
                    .merge(d.channel().code(), d, (a, b) -> b.createdAt().isBefore(a.createdAt()) ? a : b);
        }
        Map<UUID, Task> byId = new java.util.HashMap<>();
        tasks.find(latest.keySet()).forEach(t -> byId.put(t.id(), t));
        Map<UUID, List<PersonState>> out = new LinkedHashMap<>();
        latest.forEach((taskId, people) -> {
            Task task = byId.get(taskId);
            List<PersonState> states = new ArrayList<>();
            people.forEach((staffId, channels) -> {
                boolean read = channels.values().stream().anyMatch(d -> d.status() == DeliveryStatus.READ);
                boolean seen = read || answered(task, staffId);
                // As the dispatcher decides (whyUnneeded): still offered to them and not read anywhere.
                boolean stillNeeded = task != null && task.status() == TaskStatus.OFFERED
                        && task.offeredTo().contains(staffId) && !read;
                List<ChannelState> list = channels.values().stream()
                        .map(d -> pendingButUnneeded(d, stillNeeded)
                                // The dispatcher withdraws it at its due time; say so now rather than "due 18:12".
                                ? new ChannelState(d.channel().code(), DeliveryStatus.WITHDRAWN.code(), d.dueAt(),
                                        "no longer needed: " + why(task, staffId))
                                : new ChannelState(d.channel().code(), d.status().code(),
                                        d.status() == DeliveryStatus.PENDING ? d.dueAt() : d.updatedAt(), d.reason()))
                        .toList();
                String name = referenceData.hospital().staff(staffId).map(Staff::displayName).orElse(staffId);
                states.add(new PersonState(staffId, name, seen, list));
            });
            out.put(taskId, states);
        });
        return out;
    }

    private static boolean pendingButUnneeded(Delivery d, boolean stillNeeded) {
        return !stillNeeded && d.status() == DeliveryStatus.PENDING;
    }

    /** Whether the person has answered the task: they own it, declined it or acknowledged it (a broadcast). */
    private static boolean answered(Task task, String staffId) {
        if (task == null) {
            return false;
        }
        return staffId.equals(task.owner()) || task.offer().declinedBy().contains(staffId)
                || task.acknowledgements().from(staffId);
    }

    private static String why(Task task, String staffId) {
        if (task == null) {
            return "the task is gone";
        }
        if (task.owner() != null) {
            return staffId.equals(task.owner()) ? "they accepted it" : "accepted by someone else";
        }
        if (!task.status().isOpen()) {
            return "the task is " + task.status().code();
        }
        if (task.offeredTo().contains(staffId)) {
            return "read on another channel";
        }
        return task.offer().declinedBy().contains(staffId) ? "they declined it" : "no longer offered to them";
    }
}
