package org.pagerless.task.model;

/** Where the work is: a ward and, optionally, a bed. */
public record Location(String wardId, String bed) {
}
