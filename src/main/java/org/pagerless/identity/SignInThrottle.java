package org.pagerless.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Failed sign-ins, throttled per account and per client address: after {@code failures-per-account} failures
 * of one staff id (or {@code failures-per-address} from one address) within {@code period}, further attempts are
 * refused without checking the password until the oldest failure is older than the period. Guesses at the demo
 * password (or any password checked here) are thereby slow. Refusals are counted in
 * {@code pagerless.limits.refused{limit="sign-in"}}. Per pod; the OIDC provider throttles its own sign-ins.
 */
@ApplicationScoped
public class SignInThrottle {
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @ConfigProperty(name = "pagerless.identity.sign-in.failures-per-account", defaultValue = "5")
    int perAccount;
    @ConfigProperty(name = "pagerless.identity.sign-in.failures-per-address", defaultValue = "20")
    int perAddress;
    @ConfigProperty(name = "pagerless.identity.sign-in.period", defaultValue = "15m")
    Duration period;
    @Inject
    InstantSource clock;
    @Inject
    MeterRegistry registry;

    /** Whether an attempt for this account from this address may be checked at all. */
    public boolean mayTry(String account, String address) {
        Instant now = clock.instant();
        boolean allowed = recent("account:" + account, now) < perAccount
                && (address == null || recent("address:" + address, now) < perAddress);
        if (!allowed) {
            registry.counter("pagerless.limits.refused", "limit", "sign-in", "caller", "person").increment();
        }
        return allowed;
    }

    public void failed(String account, String address) {
        Instant now = clock.instant();
        add("account:" + account, now);
        if (address != null) {
            add("address:" + address, now);
        }
        registry.counter("pagerless.sign.in.failed").increment();
    }

    private int recent(String key, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            // A clock moved back (tests) forgets failures "in the future" rather than locking anyone out forever.
            times.removeIf(t -> t.isBefore(now.minus(period)) || t.isAfter(now));
            return times.size();
        }
    }

    private void add(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (times.size() > Math.max(perAccount, perAddress) + 1) {
                times.removeFirst();
            }
        }
    }
}
