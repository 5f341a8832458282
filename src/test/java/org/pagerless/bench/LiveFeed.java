package org.pagerless.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A role holder's live feed as an app holds it ({@code /api/v1/live}): every message counted, each offer's arrival
 * kept by task id. Closed by the server (the feed's "reload" close), it counts the close and opens again at once, as
 * the apps do. {@link IntakeBenchmark}'s delivery clock; {@link BleepLoop}'s open app during a load.
 */
final class LiveFeed implements WebSocket.Listener, AutoCloseable {
    private static final Pattern OFFERED = Pattern.compile("\"type\":\"TaskOffered\",\"event\":\\{[^}]*?\"taskId\":\"([0-9a-f-]{36})\"");

    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    /** Messages naming TaskOffered that {@link #OFFERED} did not read: a miscount, if any. */
    final AtomicInteger unread = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final HttpClient http;
    private final String url;
    private final String auth;
    private final Map<String, Long> delivered;
    /** Offers awaited ({@link #offerOf}) and not yet come. */
    private final Map<String, CompletableFuture<Long>> awaited = new ConcurrentHashMap<>();
    /** The role and who held it when the feed opened; the feed is the first holder's. */
    private final String role;
    private final List<String> holdersAtOpen;
    private volatile WebSocket socket;
    private volatile boolean done;

    /**
     * Opens the live feed of {@code base} as the first of {@code holders} (of {@code role}); each offer's arrival
     * (nanoTime) goes into {@code delivered}.
     */
    private LiveFeed(HttpClient http, String base, String role, List<String> holders, Map<String, Long> delivered)
            throws Exception {
        this.http = http;
        this.url = base.replace("http", "ws") + "/api/v1/live";
        this.auth = AppProcess.basic(holders.get(0));
        this.delivered = delivered;
        this.role = role;
        this.holdersAtOpen = holders;
        socket = open().get(10, TimeUnit.SECONDS);
    }

    /**
     * The live feed of the first who holds {@code role} now, as {@link #LiveFeed} opens it, after printing how many hold
     * it: a bleep to the role is offered to each, so its cost follows their number (the demo rota's day and night shifts
     * overlap from 20:00 to 20:30).
     */
    static LiveFeed ofFirstHolder(HttpClient http, String base, String role, Map<String, Long> delivered)
            throws Exception {
        List<String> holders = holders(http, base, role);
        System.out.printf("%s is held now by %d: a bleep is offered to each%n", role, holders.size());
        return new LiveFeed(http, base, role, holders, delivered);
    }

    /**
     * Says so, in a line that begins "NOT COMPARABLE", when the role's holders are no longer those the feed opened
     * with: a shift began or ended during the run (the demo rota's at 08:00, 08:30, 20:00 and 20:30, London time), so
     * a bleep was offered to another number of people, or this feed's holder stopped being offered any.
     */
    void sayIfHoldersChanged(String base) throws Exception {
        List<String> now = holders(http, base, role);
        if (java.util.Set.copyOf(now).equals(java.util.Set.copyOf(holdersAtOpen))) {
            return;
        }
        System.out.printf("NOT COMPARABLE: %s was held by %d when the run began and by %d now (a shift began or "
                + "ended); the feed's holder %s%n", role, holdersAtOpen.size(), now.size(),
                now.contains(holdersAtOpen.get(0)) ? "still holds it" : "no longer does: its offers stopped");
    }

    /** Who holds {@code role} now, from {@code /api/v1/roles} (as switchboard). Throws if nobody does. */
    private static List<String> holders(HttpClient http, String base, String role) throws Exception {
        String roles = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/roles"))
                .header("Authorization", AppProcess.basic("sam.patel")).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> holders = new ArrayList<>();
        for (JsonNode r : new ObjectMapper().readTree(roles)) {
            if (role.equals(r.path("name").asText())) {
                r.path("holders").forEach(h -> holders.add(h.path("id").asText()));
            }
        }
        if (holders.isEmpty()) {
            throw new IllegalStateException("nobody holds " + role + " now");
        }
        return holders;
    }

    /**
     * The arrival (nanoTime) of {@code taskId}'s offer on this feed, whether it has come already or is still to come.
     * Awaited first, then looked for among those come, while {@link #onText} records an arrival first, then looks
     * for a waiter: one of the two always sees the other.
     */
    CompletableFuture<Long> offerOf(String taskId) {
        CompletableFuture<Long> offer = awaited.computeIfAbsent(taskId, id -> new CompletableFuture<>());
        Long arrived = delivered.get(taskId);
        if (arrived != null) {
            offer.complete(arrived);
        }
        offer.thenRun(() -> awaited.remove(taskId));
        return offer;
    }

    private CompletableFuture<WebSocket> open() {
        return http.newWebSocketBuilder().header("Authorization", auth).buildAsync(URI.create(url), this);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.incrementAndGet();
            Matcher m = OFFERED.matcher(partial);
            if (m.find()) {
                long now = System.nanoTime();
                delivered.putIfAbsent(m.group(1), now);
                CompletableFuture<Long> waiter = awaited.get(m.group(1));
                if (waiter != null) {
                    waiter.complete(now);
                }
            } else if (partial.indexOf("\"TaskOffered\"") >= 0) {
                unread.incrementAndGet();
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (!done) {
            closes.incrementAndGet();
            System.out.printf("live feed closed by the server: %d %s; reconnecting%n", statusCode, reason);
            partial.setLength(0);
            open().thenAccept(s -> socket = s);
        }
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        System.out.printf("live feed error: %s%n", error);
    }

    @Override
    public void close() throws Exception {
        done = true;
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
}
