package org.pagerless.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed loop of bleeps as a busy switchboard sends them: {@code connections} bleeps in flight at once, urgent, to
 * "Medical SHO On-Call", as {@code sam.patel}, each with its own {@code Idempotency-Key}, spread over the instances,
 * until the time is up. Without a feed, each connection sends its next bleep as soon as the last is answered (202):
 * the loop then measures intake, and may take bleeps faster than they are routed, leaving a backlog. With the role
 * holder's {@link LiveFeed}, each waits (≤ 30 s) until its last bleep's offer reaches the holder's app: end to end, no
 * backlog beyond the bleeps in flight. Each message reads {@code "<label> <mark> <n>"}, the mark one per loop, so that
 * the database can tell this loop's tasks from others'. {@link ScaleOutBenchmark}'s load (intake only, then a drain);
 * {@link StartupBenchmark}'s load after a start (end to end: a fresh pod's first seconds).
 */
final class BleepLoop {
    static final String ROLE = "Medical SHO On-Call";
    private static final Pattern TASK_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    /**
     * What one loop did: bleeps accepted (202) and not, when it started (nanoTime) and for how long, each 202's time,
     * each task's send time.
     */
    record Result(String mark, long accepted, long refused, long startNanos, double seconds, Stats accept,
            Map<String, Long> sentAt) {
        double perSecond() {
            return accepted / seconds;
        }

        /** Each accepted task's time from its POST to its offer in {@code delivered} (a {@link LiveFeed}'s). */
        Stats delivery(Map<String, Long> delivered) {
            Stats delivery = new Stats();
            sentAt.forEach((task, sent) -> {
                Long at = delivered.get(task);
                if (at != null) {
                    delivery.add(at - sent);
                }
            });
            return delivery;
        }

        /** Offers that reached {@code delivered} per second, from the loop's start to the last of them. */
        double offeredPerSecond(Map<String, Long> delivered) {
            long count = 0;
            long last = startNanos;
            for (String task : sentAt.keySet()) {
                Long at = delivered.get(task);
                if (at != null) {
                    count++;
                    last = Math.max(last, at);
                }
            }
            return last == startNanos ? 0 : count / ((last - startNanos) / 1e9);
        }
    }

    /** {@code offers}: the role holder's live feed, to wait on each offer (end to end), or null (intake only). */
    static Result run(HttpClient http, List<String> bases, int connections, int seconds, String label, LiveFeed offers)
            throws InterruptedException {
        String mark = UUID.randomUUID().toString().substring(0, 8);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Stats accept = new Stats();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        for (int i = 0; i < connections; i++) {
            String base = bases.get(i % bases.size());
            pool.submit(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    String body = "{\"to\":{\"role\":\"" + ROLE + "\"},\"callback\":\"4417\",\"priority\":\"urgent\","
                            + "\"message\":\"" + label + " " + mark + " " + (n++) + "\"}";
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/bleeps"))
                                .timeout(Duration.ofSeconds(30)).header("Authorization", AppProcess.basic("sam.patel"))
                                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        Matcher id = TASK_ID.matcher(response.body());
                        if (response.statusCode() == 202 && id.find()) {
                            accept.add(System.nanoTime() - sent);
                            sentAt.put(id.group(1), sent);
                            accepted.incrementAndGet();
                            if (offers != null) {
                                offers.offerOf(id.group(1)).get(30, TimeUnit.SECONDS);
                            }
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (TimeoutException offerNotYet) {
                        // accepted, its offer not on the feed in 30 s: counted as not received
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        return new Result(mark, accepted.get(), refused.get(), t0, (System.nanoTime() - t0) / 1e9, accept, sentAt);
    }

    private BleepLoop() {
    }
}
