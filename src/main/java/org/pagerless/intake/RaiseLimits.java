package org.pagerless.intake;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.TooManyRequests;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Per-person and per-integration limits on raising bleeps and tasks, stat with its own small budget: one person
 * (or one compromised account) cannot flood the wards with pages. Over a limit the raise is refused with 429 and
 * {@code Retry-After}, before anything is written. Budgets are per pod (a caller's requests spread over n pods
 * get up to n times the budget): a bound, not an exact quota. Refusals are counted in
 * {@code pagerless.limits.refused{limit, caller}} (caller is {@code person} or {@code integration}, never an id).
 */
@ApplicationScoped
public class RaiseLimits {
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Inject
    LimitSettings settings;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;

    /** Counts one raise by {@code caller} at {@code priority}, or throws 429 if over a budget. */
    public void charge(Caller caller, String priority) {
        boolean integration = AppRoles.INTEGRATION.equals(caller.appRole());
        Instant now = clock.instant();
        boolean stat = "stat".equalsIgnoreCase(priority);
        synchronized (this) {
            TokenBucket.Take statTake = stat ? take("stat", settings.stat(), caller.staffId(), integration, now) : null;
            TokenBucket.Take raiseTake = take("raise", settings.raise(), caller.staffId(), integration, now);
            if (statTake != null && !statTake.allowed()) {
                refuse("stat", integration, "stat pages", statTake.retryAfter(), settings.stat(),
                        capacity(settings.stat(), caller.staffId(), integration));
            }
            if (!raiseTake.allowed()) {
                refuse("raise", integration, "bleeps and tasks", raiseTake.retryAfter(), settings.raise(),
                        capacity(settings.raise(), caller.staffId(), integration));
            }
            if (statTake != null) {
                buckets.put("stat:" + caller.staffId(), statTake.after());
            }
            buckets.put("raise:" + caller.staffId(), raiseTake.after());
        }
    }

    private TokenBucket.Take take(String limit, LimitSettings.Budget budget, String who, boolean integration,
                                  Instant now) {
        int capacity = capacity(budget, who, integration);
        return buckets.getOrDefault(limit + ":" + who, TokenBucket.full(capacity, now))
                .take(capacity, budget.period(), now);
    }

    private static int capacity(LimitSettings.Budget budget, String who, boolean integration) {
        return Math.max(1, budget.override().getOrDefault(who, integration ? budget.integration() : budget.person()));
    }

    private void refuse(String limit, boolean integration, String what, Duration retryAfter,
                        LimitSettings.Budget budget, int capacity) {
        registry.counter("pagerless.limits.refused", "limit", limit, "caller",
                integration ? "integration" : "person").increment();
        throw new TooManyRequests("too many " + what + " raised: the limit is " + capacity + " per "
                + budget.period().toMinutes() + " min; try again later", retryAfter);
    }
}
