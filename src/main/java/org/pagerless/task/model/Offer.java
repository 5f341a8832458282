package org.pagerless.task.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Who a task is offered to now (everyone who may accept it; a broadcast's team) and who has declined it. Once someone
 * accepts, nobody else is offered it; those who declined are not offered it again by the chain.
 */
public record Offer(List<String> offeredTo, List<String> declinedBy) {
    /** Offered to nobody, declined by nobody: a task just raised. */
    public static final Offer NONE = new Offer(List.of(), List.of());

    public Offer {
        offeredTo = List.copyOf(offeredTo);
        declinedBy = List.copyOf(declinedBy);
    }

    /** A fresh offer to {@code people}, nobody having declined. */
    static Offer to(List<String> people) {
        return new Offer(people, List.of());
    }

    public boolean includes(String staffId) {
        return offeredTo.contains(staffId);
    }

    /** {@code staffId} says no: they are no longer offered it, and are among those who declined. */
    Offer declined(String staffId) {
        List<String> still = new ArrayList<>(offeredTo);
        still.remove(staffId);
        List<String> declined = new ArrayList<>(declinedBy);
        declined.add(staffId);
        return new Offer(still, declined);
    }

    Offer withOfferedTo(List<String> people) {
        return new Offer(people, declinedBy);
    }

    Offer withDeclinedBy(List<String> people) {
        return new Offer(offeredTo, people);
    }

    /** Offered to nobody now (accepted, failed, cancelled); who declined is kept. */
    Offer withdrawn() {
        return withOfferedTo(List.of());
    }
}
