package org.pagerless.task.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Lists of staff ids, combined as the decisions combine them: in order, each once. */
final class People {
    private People() {
    }

    static List<String> union(List<String> first, List<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    static List<String> minus(List<String> from, List<String> without) {
        return from.stream().filter(s -> !without.contains(s)).toList();
    }
}
