package org.pagerless.task.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One step of a task's chain with its targets resolved through the rota at one instant. */
public record ResolvedStep(int level, String name, List<Reached> reached) {
    public ResolvedStep {
        reached = List.copyOf(reached);
    }

    /** Everyone the step reaches, each once, in target order. */
    public List<String> holders() {
        Set<String> all = new LinkedHashSet<>();
        reached.forEach(r -> all.addAll(r.holders()));
        return List.copyOf(all);
    }
}
