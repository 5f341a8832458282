package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagerless.bench.AppProcess;
import org.pagerless.standalone.EmbeddedInfra;
import org.pagerless.support.Ports;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Scale-out (issue 13): two Pagerless instances — the packaged production jar run twice as separate JVMs — on one
 * KRaft broker and one PostgreSQL (both in this JVM, {@link EmbeddedInfra}) share the command topic's partitions and
 * the timer and outbox rows, and nothing is done twice, even when one of them is killed with {@code kill -9} while
 * bleeps are arriving.
 * <ol>
 * <li>A and B start together on the empty database (as pods of a new deployment: migrations under Flyway's lock,
 * the demo seed claimed once); barrier: the task processor's group has both pods' consumers (two each,
 * {@code pagerless.processor.consumers}) sharing the six partitions.</li>
 * <li>150 bleeps, alternately to A and B (each with its own {@code Idempotency-Key}); barrier: all offered. Both
 * pods applied commands. Their timers are then made due (the test's clock: {@code due_at} moved to now) and both
 * pods' tickers race for them; barrier: every task escalated.</li>
 * <li>150 more, alternately to A and B; after 50 of them are accepted, A is killed outright. A bleep A did not answer
 * is sent to B with the same key (as a careful client does: the key names the task, ADR 0004/0014). Barrier: the
 * group has only B's two consumers, holding all six partitions; every bleep accepted and offered. Their timers
 * are made due; B alone fires them.</li>
 * </ol>
 * Then, in one snapshot of the database: one task per bleep, one {@code TaskRaised} per task, no event applied twice
 * for one command, each made-due timer fired exactly once, every task's in-app offer sent, no delivery sent twice.
 * Bounded: a few hundred bleeps, barriers rather than sleeps.
 */
class ScaleOutIT {
    private static final int PER_PHASE = 150;
    private static final int KILL_AFTER = 50;
    private static final String GROUP = "pagerless-task-processor";
    private static final Pattern MARK = Pattern.compile("scale-out bleep #(\\d+)\\b");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** Bleep number → task id, from its 202. */
    private final Map<Integer, String> accepted = new ConcurrentHashMap<>();
    /** Bleeps the pod first asked did not accept, sent again to the survivor. */
    private final java.util.concurrent.atomic.AtomicInteger resent = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void twoInstancesShareTheWorkAndAKilledOneLosesAndRepeatsNothing() throws Exception {
        Path jar = AppProcess.packagedJar();
        assertThat(jar).as("the packaged production jar (./mvnw package)").exists();
        Path logs = jar.getParent().getParent();
        try (EmbeddedInfra infra = EmbeddedInfra.start(data, Ports.free(), Ports.free());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            AppProcess a = start(jar, infra, logs.resolve("scale-out-it-a.log"));
            try (AppProcess b = start(jar, infra, logs.resolve("scale-out-it-b.log"))) {
                try {
                    a.awaitReadyMillis(5);
                    b.awaitReadyMillis(5);
                    await("both pods' processor consumers in the group").atMost(Duration.ofMinutes(1))
                            .until(() -> processorMembers(admin), m -> m.size() == 4 && assigned(m) == 6);

                    // Phase 1: both pods take bleeps; each applies the commands of its partitions.
                    List<Integer> first = range(0, PER_PHASE);
                    send(first, n -> n % 2 == 0 ? a : b, b, null);
                    awaitOffered(infra, first);
                    assertThat(appliedCommands(a)).as("A's processor applied commands").isPositive();
                    assertThat(appliedCommands(b)).as("B's processor applied commands").isPositive();
                    fireTimers(infra, first);

                    // Phase 2: A is killed outright while bleeps arrive; B takes over its partitions and rows.
                    List<Integer> second = range(PER_PHASE, 2 * PER_PHASE);
                    CountDownLatch someAccepted = new CountDownLatch(KILL_AFTER);
                    ExecutorService killer = Executors.newSingleThreadExecutor();
                    Future<?> kill = killer.submit(() -> {
                        someAccepted.await();
                        a.process.destroyForcibly().waitFor();
                        return null;
                    });
                    send(second, n -> n % 2 == 0 && a.process.isAlive() ? a : b, b, someAccepted);
                    kill.get(1, TimeUnit.MINUTES);
                    killer.shutdown();
                    assertThat(a.process.isAlive()).isFalse();
                    await("B's consumers alone hold every partition").atMost(Duration.ofMinutes(1))
                            .until(() -> processorMembers(admin), m -> m.size() == 2 && assigned(m) == 6);
                    awaitOffered(infra, second);
                    fireTimers(infra, second);

                    List<Integer> all = range(0, 2 * PER_PHASE);
                    await("every in-app offer sent").atMost(Duration.ofMinutes(2))
                            .until(() -> count(infra, "select count(distinct task_id) from delivery where channel = 'in-app' "
                                    + "and status in ('sent', 'delivered', 'read') and task_id = any(?)", ids(all)) == all.size());
                    check(infra, all);
                    System.out.printf("ScaleOutIT: %d bleeps, each raised once; %d sent again to B after A was killed%n",
                            all.size(), resent.get());
                } finally {
                    a.close();
                }
            }
        }
    }

    private void check(EmbeddedInfra infra, List<Integer> all) throws Exception {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres")) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            UUID[] ids = ids(all);
            Map<Integer, Integer> tasksPerBleep = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select state::text from task where state::text like ?")) {
                ps.setString(1, "%scale-out bleep #%" + "(" + run + ")%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Matcher m = MARK.matcher(rs.getString(1));
                        assertThat(m.find()).isTrue();
                        tasksPerBleep.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                    }
                }
            }
            assertThat(tasksPerBleep).as("one task per bleep, none raised twice").hasSize(all.size())
                    .allSatisfy((n, tasks) -> assertThat(tasks).as("tasks for bleep #" + n).isEqualTo(1));
            assertThat(list(c, "select task_id from task_event where type = 'TaskRaised' and task_id = any(?) "
                    + "group by task_id having count(*) <> 1", ids)).as("tasks raised other than once").isEmpty();
            assertThat(list(c, "select task_id || ' ' || command_id || ' ' || type from task_event where task_id = any(?) "
                    + "group by task_id, command_id, type having count(*) > 1", ids)).as("events applied twice").isEmpty();
            assertThat(list(c, "select task_id from task_event where actor = 'escalation' and task_id = any(?) "
                    + "group by task_id having count(distinct command_id) <> 1", ids)).as("timers fired other than once")
                    .isEmpty();
            assertThat(count(c, "select count(distinct task_id) from task_event where actor = 'escalation' "
                    + "and task_id = any(?)", ids)).as("tasks whose timer fired").isEqualTo(all.size());
            assertThat(list(c, "select h.delivery_id from delivery_status_history h join delivery d on d.id = h.delivery_id "
                    + "where d.task_id = any(?) and h.status = 'sent' group by h.delivery_id having count(*) > 1", ids))
                    .as("deliveries sent twice").isEmpty();
            c.commit();
        }
    }

    /** Sends each bleep to {@code to(n)}; one that is not accepted there goes to {@code survivor} with the same key. */
    private void send(List<Integer> bleeps, java.util.function.IntFunction<AppProcess> to, AppProcess survivor,
            CountDownLatch onAccepted) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int n : bleeps) {
                sent.add(pool.submit(() -> {
                    AppProcess first = to.apply(n);
                    if (!post(first, n)) {
                        resent.incrementAndGet();
                        await("bleep #" + n + " accepted by the survivor").atMost(Duration.ofMinutes(1))
                                .pollInterval(Duration.ofMillis(200)).until(() -> post(survivor, n));
                    }
                    if (onAccepted != null) {
                        onAccepted.countDown();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** POSTs bleep {@code n}; true on 202 (the task id is kept), false on anything else or no answer. */
    private boolean post(AppProcess app, int n) {
        String body = "{\"to\":{\"role\":\"Medical SHO On-Call\"},\"callback\":\"4417\",\"priority\":\"urgent\","
                + "\"message\":\"scale-out bleep #" + n + " (" + run + ") please call\"}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(app) + "/api/v1/bleeps"))
                    .timeout(Duration.ofSeconds(15)).header("Authorization", AppProcess.basic("sam.patel"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", "scale-out-" + run + "-" + n)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                return false;
            }
            String id = JSON.readTree(r.body()).get("id").asText();
            String before = accepted.putIfAbsent(n, id);
            assertThat(before == null ? id : before).as("the same key names the same task on either pod").isEqualTo(id);
            return true;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitOffered(EmbeddedInfra infra, List<Integer> bleeps) {
        await("bleeps offered").atMost(Duration.ofMinutes(2)).until(() -> count(infra,
                "select count(distinct task_id) from task_event where type = 'TaskOffered' and task_id = any(?)",
                ids(bleeps)) == bleeps.size());
    }

    /**
     * Moves these tasks' timers to now (the test's clock: the app decides by the timer's fence, not its time) and waits
     * until every one has fired: an escalation event on each task.
     */
    private void fireTimers(EmbeddedInfra infra, List<Integer> bleeps) throws Exception {
        UUID[] ids = ids(bleeps);
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement("update timer set due_at = now() where task_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            assertThat(ps.executeUpdate()).as("open timers of these tasks").isEqualTo(bleeps.size());
        }
        await("timers fired").atMost(Duration.ofMinutes(2)).until(() -> count(infra,
                "select count(distinct task_id) from task_event where actor = 'escalation' and task_id = any(?)", ids)
                == bleeps.size());
    }

    private static List<MemberDescription> processorMembers(Admin admin) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS)
                .get(GROUP);
        return List.copyOf(group.members());
    }

    private static int assigned(List<MemberDescription> members) {
        return members.stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
    }

    /** Commands this pod's processor applied ({@code pagerless_commands_lag_seconds_count}, one per command). */
    private double appliedCommands(AppProcess app) throws Exception {
        String scrape = http.send(HttpRequest.newBuilder(URI.create(base(app) + "/q/metrics"))
                .header("Authorization", AppProcess.basic("admin")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return scrape.lines().filter(l -> l.startsWith("pagerless_commands_lag_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private UUID[] ids(List<Integer> bleeps) {
        return bleeps.stream().map(n -> UUID.fromString(accepted.get(n))).toArray(UUID[]::new);
    }

    private static long count(EmbeddedInfra infra, String sql, UUID[] ids) throws Exception {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "postgres")) {
            return count(c, sql, ids);
        }
    }

    private static long count(Connection c, String sql, UUID[] ids) throws Exception {
        List<String> rows = list(c, sql, ids);
        return Long.parseLong(rows.get(0));
    }

    private static List<String> list(Connection c, String sql, UUID[] ids) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        }
    }

    private static AppProcess start(Path jar, EmbeddedInfra infra, Path log) throws Exception {
        int port = Ports.free();
        List<String> args = new ArrayList<>(AppProcess.productionArgs(port, infra.jdbcUrl(), infra.bootstrapServers()));
        // A killed pod's partitions move after this long (the broker's minimum); its claimed rows after 10 s.
        args.add("-Dpagerless.kafka.session-timeout=6s");
        args.add("-Dpagerless.processor.consumers=2");
        args.add("-Dpagerless.delivery.sending-deadline=10s");
        args.add("-Xmx384m");
        Files.deleteIfExists(log);
        return AppProcess.start(jar, args, "http://127.0.0.1:" + port, log);
    }

    private static String base(AppProcess app) {
        return app.base;
    }

    private static List<Integer> range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).boxed().toList();
    }

}
