package org.pagerless.platform;

import java.util.Set;

/**
 * A message for the live feed of some signed-in people (CDI event): any feature fires it, the live WebSocket sends
 * {@code json} to the connections of everyone in {@code to} on this pod. It may carry patient data: the feed is
 * inside the authenticated app, never a notification.
 */
public record LivePush(Set<String> to, String json) {
    public LivePush {
        to = Set.copyOf(to);
    }

    @Override
    public String toString() {
        return "LivePush[to " + to.size() + "]";
    }
}
