package org.pagerless.bench;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * {@code offers}: the role holder's live feed, to wait on each offer (end to end), or null (intake only). Each
     * connection is a chain on {@code posts}' client: a bleep's answer (and its offer, with a feed) sends the next.
     */
    static Result run(BleepPosts posts, List<String> bases, int connections, int seconds, String label, LiveFeed offers)
            throws InterruptedException {
        String mark = UUID.randomUUID().toString().substring(0, 8);
        Loop loop = new Loop(posts, AppProcess.basic("sam.patel"), mark, label, offers,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds), new CountDownLatch(connections));
        long t0 = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            loop.next(URI.create(bases.get(i % bases.size()) + "/api/v1/bleeps"), new AtomicLong());
        }
        loop.done.await(seconds + 60L, TimeUnit.SECONDS);
        return new Result(mark, loop.accepted.get(), loop.refused.get(), t0, (System.nanoTime() - t0) / 1e9,
                loop.accept, loop.sentAt);
    }

    /** The connections' shared tally; {@code done} counts down as each connection's chain ends. */
    private record Loop(BleepPosts posts, String authorization, String mark, String label, LiveFeed offers, long end,
            CountDownLatch done, AtomicLong accepted, AtomicLong refused, Stats accept, Map<String, Long> sentAt) {
        Loop(BleepPosts posts, String authorization, String mark, String label, LiveFeed offers, long end,
                CountDownLatch done) {
            this(posts, authorization, mark, label, offers, end, done, new AtomicLong(), new AtomicLong(), new Stats(),
                    new ConcurrentHashMap<>());
        }

        /** Sends this connection's next bleep, unless the time is up. */
        void next(URI uri, AtomicLong n) {
            if (System.nanoTime() >= end) {
                done.countDown();
                return;
            }
            String body = "{\"to\":{\"role\":\"" + ROLE + "\"},\"callback\":\"4417\",\"priority\":\"urgent\","
                    + "\"message\":\"" + label + " " + mark + " " + n.getAndIncrement() + "\"}";
            long sent = System.nanoTime();
            posts.post(posts.request(uri, authorization, body, UUID.randomUUID().toString()))
                    .whenComplete((answer, error) -> {
                        Matcher id = error == null ? TASK_ID.matcher(answer.body()) : null;
                        if (id == null || answer.status() != 202 || !id.find()) {
                            refused.incrementAndGet();
                            next(uri, n);
                            return;
                        }
                        accept.add(System.nanoTime() - sent);
                        sentAt.put(id.group(1), sent);
                        accepted.incrementAndGet();
                        if (offers == null) {
                            next(uri, n);
                        } else {
                            // An offer not on the feed in 30 s is counted as not received; the connection goes on.
                            offers.offerOf(id.group(1)).orTimeout(30, TimeUnit.SECONDS)
                                    .whenComplete((arrived, late) -> next(uri, n));
                        }
                    });
        }
    }

    private BleepLoop() {
    }
}
