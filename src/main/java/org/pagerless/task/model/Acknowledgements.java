package org.pagerless.task.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.pagerless.task.model.Task.Acknowledgement;

/**
 * A broadcast's answers: who has acknowledged it and when, and when those who had not were last alerted again
 * ({@code realertedAt}, null until switchboard re-alerts). {@link #NONE} for any other task.
 */
public record Acknowledgements(List<Acknowledgement> received, Instant realertedAt) {
    /** Nobody has acknowledged; never re-alerted. */
    public static final Acknowledgements NONE = new Acknowledgements(List.of(), null);

    public Acknowledgements {
        received = received == null ? List.of() : List.copyOf(received);
    }

    public boolean from(String staffId) {
        return received.stream().anyMatch(a -> a.staffId().equals(staffId));
    }

    /** The staff ids of everyone who has acknowledged, in order. */
    public List<String> staffIds() {
        return received.stream().map(Acknowledgement::staffId).toList();
    }

    Acknowledgements plus(String staffId, Instant at) {
        List<Acknowledgement> all = new ArrayList<>(received);
        all.add(new Acknowledgement(staffId, at));
        return new Acknowledgements(all, realertedAt);
    }

    Acknowledgements realerted(Instant at) {
        return new Acknowledgements(received, at);
    }
}
