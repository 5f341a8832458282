package org.pagerless.bench;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.pagerless.platform.Topics;
import org.pagerless.support.FakeTwilio;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fault-injection harness of issue 9: steady load against the PACKAGED standalone Pagerless (a child process
 * over a persistent data directory, {@code target-standalone/harness-data}, emptied at the start), while faults are
 * injected in turn. Load: {@code rate} bleeps a second to the medical on-call roles, mixed priorities (10% stat, 20%
 * asap, 30% urgent, 40% routine; stat and asap go by SMS and voice through the in-process fake Twilio), each POST
 * retried with its own Idempotency-Key until it gets a 202 (as a careful client does); half the bleeps are then
 * accepted by the first person offered (read from the task row). Faults, each after a steady phase:
 * <ol>
 * <li>{@code kill -9} of the app JVM (its PostgreSQL is left orphaned) and a restart on the same data;</li>
 * <li>the broker stopped for 20 s and started again ({@code control/broker.stop}, see EmbeddedInfra);</li>
 * <li>PostgreSQL stopped for 20 s and started again ({@code control/postgres.stop});</li>
 * <li>PostgreSQL frozen with SIGSTOP for 30 s (the postmaster and its backends), then SIGCONT;</li>
 * <li>poison records on every topic: null value, not JSON, not UTF-8, wrong shape, unknown type, 2 MB.</li>
 * </ol>
 * After each it prints (cumulative): sent, 202s, raised, offered, delivered in-app, texts and calls at the fake,
 * duplicates (tasks per bleep; task events applied twice for one command, offers among them; texts and calls the fake
 * took that no outbox row records — a resend after a lost outcome shows there), 202s not raised (yet; after the
 * final settle: lost), timers
 * overdue by more than 15 s (not fired) and the app's worst timer lateness, the recovery time (fault over → the
 * first 202 after it) and when bleeps were raised again (fault over → the first bleep answered 202 after it found
 * raised, looked for every 250 ms: a 202 says only that the broker has the bleep). After each fault the phase waits
 * for readiness, then runs its steady load.
 * Offered and in-app delivered count bleeps (with a 202) that got there. The final settle also waits for every bleep
 * sent to be answered 202 (its client retrying each for up to 5 min), so "sent" and "202" match at the end unless a
 * bleep was refused for good. Loopback only; the child is stopped at the
 * end. Each phase's line is followed by what was sent twice as the phones saw it (a page reference texted twice to
 * one number, a delivery row called twice, one call sid on several rows) and any notification's step planned in more
 * than one outbox row, and the final one by every text and call
 * the fake took that no row records, with the rows it was for ({@code -Dbench.settle-minutes}, 10: the final settle).
 *
 * <pre>./mvnw -B -ntp -Pstandalone package -DskipTests
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.FaultInjectionHarness 50 30</pre>
 */
public final class FaultInjectionHarness {
    private static final int HTTP_PORT = Integer.getInteger("bench.http-port", 8093);
    private static final int TWILIO_PORT = Integer.getInteger("bench.twilio-port", 18099);
    private static final int PG_PORT = Integer.getInteger("bench.postgres-port", 15462);
    private static final int KAFKA_PORT = Integer.getInteger("bench.kafka-port", 19122);
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    /** How long the final settle may wait for everything to be raised, fired, recorded and caught up. */
    private static final int SETTLE_MINUTES = Integer.getInteger("bench.settle-minutes", 10);
    /** A page's reference in a text ("ref 3F2A9C"); a bundle names several. */
    private static final Pattern REF = Pattern.compile("ref ([0-9A-F]{6})\\b");
    private static final List<String> ROLES = List.of("Medical SHO On-Call", "Medical Registrar On-Call");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARK = Pattern.compile("harness bleep #(\\d+)\\b");

    private final Path dir = Path.of("target-standalone").toAbsolutePath();
    private final Path data = dir.resolve("harness-data");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Bounds the client's open requests (and so its connections) while the app is down and every bleep retries. */
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(128);
    /** Why POSTs were not answered 202 since the last report: "HTTP 503", "HttpTimeoutException", ... */
    private final Map<String, AtomicInteger> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final FakeTwilio twilio;
    private final int rate;
    private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(16);
    /**
     * The accepts, apart from the bleeps' sends and retries: each blocks on a read of the task row and an HTTP call, and
     * on the pool the sends use they starved the sends while the database was frozen (docs/reliability.md, run 13).
     */
    private final ScheduledExecutorService accepts = Executors.newScheduledThreadPool(16);
    private final List<Bleep> bleeps = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private Process app;
    private volatile boolean loading;

    /** One bleep as the client saw it. */
    private static final class Bleep {
        final int n;
        final String key = UUID.randomUUID().toString();
        final long sentAt = System.nanoTime();
        volatile long acceptedAt;
        volatile String taskId;

        Bleep(int n) {
            this.n = n;
        }
    }

    private FaultInjectionHarness(FakeTwilio twilio, int rate) {
        this.twilio = twilio;
        this.rate = rate;
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int steady = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path jar = Path.of("target-standalone/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build it first: ./mvnw -B -ntp -Pstandalone package -DskipTests");
        }
        try (FakeTwilio twilio = new FakeTwilio(BASE, TWILIO_PORT)) {
            new FaultInjectionHarness(twilio, rate).run(jar.toAbsolutePath(), steady);
        }
        System.exit(0);
    }

    private void run(Path jar, int steady) throws Exception {
        BenchData.delete(data);
        System.out.printf("%s; rate %d bleeps/s%n", AppProcess.machine(), rate);
        startApp(jar);
        awaitReady(Duration.ofMinutes(10));
        loading = true;
        Thread load = new Thread(this::load, "harness-load");
        load.start();
        try {
            phase("steady", steady, null);
            phase("kill -9 and restart", steady, () -> {
                app.destroyForcibly().waitFor();
                startApp(jar);
            });
            phase("broker stopped 20 s", steady, () -> outage("broker", 20));
            phase("PostgreSQL stopped 20 s", steady, () -> outage("postgres", 20));
            phase("PostgreSQL frozen (SIGSTOP) 30 s", steady, this::freezePostgres);
            phase("poison on every topic", steady, this::poison);
            printParked();
            loading = false;
            load.join();
            System.out.printf("load stopped; waiting up to %d min for every bleep sent to be answered 202 (its client"
                    + " retrying), every 202 to be raised, its timers to fire, every text "
                    + "and call to be recorded and every consumer to catch up%n", SETTLE_MINUTES);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(SETTLE_MINUTES);
            Report r;
            do {
                TimeUnit.SECONDS.sleep(10);
                r = report();
            } while ((r.sent > r.accepted202 || r.lost > 0 || r.overdueTimers > 0 || r.unrecordedTexts > 0
                    || r.unrecordedCalls > 0
                    || consumerLag() != 0) && System.nanoTime() < deadline);
            System.out.println("consumer lag at the end (records not yet handled, all consumers): " + consumerLag());
            print("final (after the settle)", r, -1, "–");
            explainUnrecorded();
            printFailures();
            printParked();
        } finally {
            loading = false;
            pool.shutdownNow();
            accepts.shutdownNow();
            app.destroy();
            if (!app.waitFor(60, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private interface Fault {
        void inject() throws Exception;
    }

    /** Runs {@code fault} (if any), then load for {@code seconds}, and prints the figures so far. */
    private void phase(String name, int seconds, Fault fault) throws Exception {
        long over = System.nanoTime();
        if (fault != null) {
            System.out.printf("%n== %s (load average %s)%n", name, AppProcess.loadAverage());
            fault.inject();
            over = System.nanoTime();
            awaitReady(Duration.ofMinutes(10));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long raisedAgain = -1;
        while (System.nanoTime() < end) {
            if (fault != null && raisedAgain < 0 && firstRaisedSince(over)) {
                raisedAgain = System.nanoTime() - over;
            }
            TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(250, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
        Report r = report();
        long recovered = recovery(over);
        print(name, r, fault == null ? -1 : recovered, fault == null ? "–" : raisedAgain < 0
                ? "not within the phase" : seconds(raisedAgain));
        printFailures();
    }

    /**
     * Whether a bleep answered {@code 202} after {@code over} has been raised yet: the processor is taking commands
     * again (a {@code 202} says only that the broker has the bleep). False while the database cannot be read.
     */
    private boolean firstRaisedSince(long over) {
        String[] ids;
        synchronized (bleeps) {
            ids = bleeps.stream().filter(b -> b.taskId != null && b.acceptedAt >= over).map(b -> b.taskId)
                    .toArray(String[]::new);
        }
        if (ids.length == 0) {
            return false;
        }
        try (Connection c = briefConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("select exists (select 1 from task where id = any (?::uuid[]))")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    private void printFailures() {
        Map<String, Integer> seen = new java.util.TreeMap<>();
        failures.forEach((why, n) -> seen.put(why, n.getAndSet(0)));
        seen.values().removeIf(n -> n == 0);
        if (!seen.isEmpty()) {
            System.out.println("  POSTs not answered 202 (each retried with its key): " + seen);
        }
    }

    private void startApp(Path jar) throws Exception {
        List<String> command = new ArrayList<>(List.of(AppProcess.APP_JAVA));
        command.addAll(AppProcess.productionJvmOptions());
        command.addAll(List.of("-Dquarkus.http.port=" + HTTP_PORT, "-Dquarkus.http.host=127.0.0.1",
                "-Dpagerless.data=" + data,
                "-Dpagerless.standalone.postgres-port=" + PG_PORT,
                "-Dpagerless.standalone.kafka-port=" + KAFKA_PORT,
                "-Dpagerless.standalone.dir=" + dir.resolve("harness"),
                "-Dpagerless.twilio.account-sid=" + FakeTwilio.ACCOUNT_SID,
                "-Dpagerless.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
                "-Dpagerless.twilio.from=" + FakeTwilio.FROM,
                "-Dpagerless.twilio.base-url=" + twilio.baseUrl(),
                "-Dpagerless.delivery.public-url=" + BASE,
                "-Dquarkus.log.level=WARN", "-jar", jar.toString()));
        app = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("harness-app.log").toFile())).start();
    }

    private void awaitReady(Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(BASE + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            TimeUnit.SECONDS.sleep(1);
        }
        throw new IllegalStateException("the app did not become ready; see " + dir.resolve("harness-app.log"));
    }

    private void outage(String part, int seconds) throws Exception {
        Path stop = data.resolve("control").resolve(part + ".stop");
        Files.createFile(stop);
        TimeUnit.SECONDS.sleep(seconds);
        Files.delete(stop);
    }

    /** SIGSTOP the postmaster and every backend (a frozen host), then SIGCONT them. */
    private void freezePostgres() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim());
        List<Long> frozen = new ArrayList<>();
        frozen.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.children().forEach(c -> frozen.add(c.pid())));
        signal("STOP", frozen);
        TimeUnit.SECONDS.sleep(30);
        signal("CONT", frozen);
    }

    private static void signal(String signal, List<Long> pids) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    private void poison() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + KAFKA_PORT);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        List<byte[]> values = new ArrayList<>();
        values.add(null);
        values.add("not json at all".getBytes(StandardCharsets.UTF_8));
        values.add(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28});
        values.add("{\"unexpected\":[1,2,3]}".getBytes(StandardCharsets.UTF_8));
        values.add("{\"type\":\"NoSuchThing\",\"taskId\":\"00000000-0000-0000-0000-000000000000\"}"
                .getBytes(StandardCharsets.UTF_8));
        values.add(("{\"pad\":\"" + "x".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String topic : List.of(Topics.INTAKE, Topics.TASK_COMMANDS, Topics.STAT_TASK_COMMANDS,
                    Topics.TASK_EVENTS, Topics.NOTIFICATIONS, Topics.ROTA_EVENTS)) {
                for (byte[] v : values) {
                    try {
                        producer.send(new ProducerRecord<>(topic, ("poison-" + sent).getBytes(StandardCharsets.UTF_8),
                                v)).get();
                        sent++;
                    } catch (Exception e) {
                        System.out.printf("poison to %s refused by the broker: %s%n", topic, e.getMessage());
                    }
                }
            }
        }
        System.out.printf("poison records sent: %d%n", sent);
    }

    /** Where the poison went: parked records per consumer and topic, and any parked record that was not poison. */
    private void printParked() throws Exception {
        Properties infra = new Properties();
        try (FileInputStream in = new FileInputStream(dir.resolve("harness/standalone.properties").toFile())) {
            infra.load(in);
        }
        try (Connection c = DriverManager.getConnection(infra.getProperty("jdbc.url"), "postgres", "postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select consumer, topic, count(*) filter (where convert_from(record_key, 'UTF8')"
                     + " like 'poison-%'), count(*) filter (where record_key is null or convert_from(record_key, 'UTF8')"
                     + " not like 'poison-%') from parked_record group by consumer, topic order by consumer, topic")) {
            System.out.println("  parked (consumer, topic: poison / other):");
            while (rs.next()) {
                System.out.printf("    %s, %s: %d / %d%n", rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4));
            }
        }
        System.out.println("  refused to the sender on " + Topics.INTAKE_DLQ + " (key: reason):");
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + KAFKA_PORT);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.INTAKE_DLQ).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    org.apache.kafka.common.header.Header reason = r.headers().lastHeader(Topics.DLQ_REASON_HEADER);
                    System.out.printf("    %s: %s%n", r.key() == null ? "-" : new String(r.key(), StandardCharsets.UTF_8),
                            reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    // --- load -------------------------------------------------------------------------------------------------

    private void load() {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        int n = 0;
        while (loading) {
            Bleep b = new Bleep(++n);
            synchronized (bleeps) {
                bleeps.add(b);
            }
            pool.execute(() -> send(b, 0));
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    private static String priority(int n) {
        int m = n % 10;
        return m == 0 ? "stat" : m <= 2 ? "asap" : m <= 5 ? "urgent" : "routine";
    }

    /** POSTs the bleep; on anything but a 202 tries again a second later with the same key (for up to 5 min). */
    private void send(Bleep b, int attempt) {
        if (!inFlight.tryAcquire()) {
            if (!pool.isShutdown()) {
                pool.schedule(() -> send(b, attempt), 100, TimeUnit.MILLISECONDS);
            }
            return;
        }
        String body = "{\"to\":{\"role\":\"" + ROLES.get(b.n % ROLES.size()) + "\"},\"callback\":\"4417\","
                + "\"message\":\"harness bleep #" + b.n + " please call\",\"priority\":\"" + priority(b.n) + "\"}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(BASE + "/api/v1/bleeps")).timeout(Duration.ofSeconds(15))
                .header("Authorization", basic("sam.patel")).header("Content-Type", "application/json")
                .header("Idempotency-Key", b.key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            inFlight.release();
            if (e != null || r.statusCode() != 202) {
                Throwable cause = e != null && e.getCause() != null ? e.getCause() : e;
                String why = e == null ? "HTTP " + r.statusCode() : cause.getClass().getSimpleName();
                failures.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
            }
            if (e == null && r.statusCode() == 202) {
                try {
                    b.taskId = JSON.readTree(r.body()).get("id").asText();
                    b.acceptedAt = System.nanoTime();
                } catch (Exception parse) {
                    throw new IllegalStateException(parse);
                }
                if (b.n % 2 == 0) {
                    accepts.schedule(() -> accept(b, 0), 5, TimeUnit.SECONDS);
                }
            } else if (attempt < 300 && !pool.isShutdown()) {
                pool.schedule(() -> send(b, attempt + 1), 1, TimeUnit.SECONDS);
            }
        });
    }

    /** The first person offered accepts (who that is, from the task row); tried again while not yet offered. */
    private void accept(Bleep b, int attempt) {
        String why;
        try {
            String who = firstOffered(b.taskId);
            if (who == null) {
                why = "accept: not offered yet";
            } else {
                int status = http.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/tasks/" + b.taskId + "/accept"))
                        .header("Authorization", basic(who)).header("Idempotency-Key", b.key + "-accept")
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    accepted.incrementAndGet();
                    return;
                }
                why = "accept: HTTP " + status;
            }
        } catch (Exception e) {
            why = "accept: " + e.getClass().getSimpleName();
        }
        failures.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
        if (attempt < 10 && !accepts.isShutdown()) {
            accepts.schedule(() -> accept(b, attempt + 1), 3, TimeUnit.SECONDS);
        }
    }

    private String firstOffered(String taskId) throws Exception {
        try (Connection c = briefConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "select offered_to[1] from task where id = ?::uuid and status = 'OFFERED'")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** A connection for one quick look at the app's database, given up on within seconds while it is down. */
    private static Connection briefConnection() throws java.sql.SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + PG_PORT
                + "/pagerless?connectTimeout=5&socketTimeout=10", "postgres", "postgres");
    }

    private long recovery(long over) {
        synchronized (bleeps) {
            return bleeps.stream().filter(b -> b.acceptedAt >= over).mapToLong(b -> b.acceptedAt - over).min()
                    .orElse(-1);
        }
    }

    // --- figures ----------------------------------------------------------------------------------------------

    private record Report(int sent, int accepted202, long raised, long offered, long inApp, int texts, int calls,
                          long dupTasks, long dupEvents, long dupOffers, long unrecordedTexts, long unrecordedCalls,
                          long lost, long overdueTimers, String lateness, int accepts, long textsTwice,
                          long callsTwice, long sharedCallSids, long plannedTwice) {
    }

    private Report report() throws Exception {
        List<Bleep> all;
        synchronized (bleeps) {
            all = new ArrayList<>(bleeps);
        }
        Set<String> ids = new HashSet<>();
        all.stream().filter(b -> b.taskId != null).forEach(b -> ids.add(b.taskId));
        Properties infra = new Properties();
        try (FileInputStream in = new FileInputStream(dir.resolve("harness/standalone.properties").toFile())) {
            infra.load(in);
        }
        // What the fake took, read before the database: a text taken after the snapshot is not counted as unrecorded
        // (it was, when the fake was read last: every phase line counted the sends in flight at that instant).
        List<FakeTwilio.Sms> texts = twilio.received();
        List<FakeTwilio.Call> calls = twilio.calls();
        try (Connection c = DriverManager.getConnection(infra.getProperty("jdbc.url"), "postgres", "postgres")) {
            // One snapshot for every count, so they agree with each other.
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            Statement st = c.createStatement();
            st.setQueryTimeout(60);
            Map<Integer, Integer> tasksPerBleep = new HashMap<>();
            Set<String> raised = new HashSet<>();
            try (ResultSet rs = st.executeQuery("select id, state::text from task where state::text like '%harness bleep #%'")) {
                while (rs.next()) {
                    raised.add(rs.getString(1));
                    Matcher m = MARK.matcher(rs.getString(2));
                    if (m.find()) {
                        tasksPerBleep.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                    }
                }
            }
            long offered = countOf(st, "select distinct task_id from task_event where type = 'TaskOffered'", ids);
            long inApp = countOf(st, "select task_id from delivery where channel = 'in-app' "
                    + "and status in ('sent', 'delivered', 'read')", ids);
            long dupEvents = scalar(st, "select count(*) from (select 1 from task_event group by task_id, command_id, type "
                    + "having count(*) > 1) d");
            long dupOffers = scalar(st, "select count(*) from (select 1 from task_event where type = 'TaskOffered' "
                    + "group by task_id, command_id having count(*) > 1) d");
            Set<String> recorded = new HashSet<>();
            try (ResultSet rs = st.executeQuery("select distinct provider_id from delivery where provider_id is not null")) {
                while (rs.next()) {
                    recorded.add(rs.getString(1));
                }
            }
            long overdue = scalar(st, "select count(*) from timer where due_at < now() - interval '15 seconds'");
            long unrecordedTexts = texts.stream().filter(s -> !recorded.contains(s.sid())).count();
            long unrecordedCalls = calls.stream().filter(k -> !recorded.contains(k.sid())).count();
            long lost = ids.stream().filter(id -> !raised.contains(id)).count();
            // Sent twice, as the phones saw it: one page's reference texted to one number more often than rows name it
            // for that number; one delivery
            // row (its id ends the call's TwiML URL) called more than once; one call sid recorded on several rows.
            Map<String, Integer> perRef = new HashMap<>();
            for (FakeTwilio.Sms t : texts) {
                Matcher m = REF.matcher(t.body() == null ? "" : t.body());
                while (m.find()) {
                    perRef.merge(t.to() + " " + m.group(1), 1, Integer::sum);
                }
            }
            Map<String, Integer> smsRows = new HashMap<>(); // more than one row may name one ref (two ladder steps, a clash)
            try (ResultSet rs = st.executeQuery("select address, ref, count(*) from delivery where channel = 'sms' "
                    + "and address is not null group by address, ref")) {
                while (rs.next()) {
                    smsRows.put(rs.getString(1) + " " + rs.getString(2), rs.getInt(3));
                }
            }
            Map<String, Integer> perRow = new HashMap<>();
            calls.forEach(k -> perRow.merge(String.valueOf(k.url()), 1, Integer::sum));
            long sharedCallSids = scalar(st, "select count(*) from (select 1 from delivery where channel = 'voice' "
                    + "and provider_id is not null group by provider_id having count(*) > 1) d");
            // One notification's step planned twice: no index keeps it out any more, only its row's id (ADR 0089).
            long plannedTwice = scalar(st, "select count(*) from (select 1 from delivery group by notification_id, "
                    + "channel having count(*) > 1) d");
            c.commit();
            return new Report(all.size(), ids.size(), ids.stream().filter(raised::contains).count(), offered, inApp,
                    texts.size(), calls.size(), tasksPerBleep.values().stream().filter(v -> v > 1).count(), dupEvents,
                    dupOffers, unrecordedTexts, unrecordedCalls, lost, overdue, lateness(), accepted.get(),
                    perRef.entrySet().stream().filter(e -> e.getValue() > Math.max(1, smsRows.getOrDefault(e.getKey(), 0)))
                            .count(), perRow.values().stream().filter(v -> v > 1).count(),
                    sharedCallSids, plannedTwice);
        }
    }

    /** A duration for the table: seconds, one decimal. */
    private static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }

    private void print(String phase, Report r, long recoveryNanos, String raisedAgain) {
        System.out.printf("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d / %d / %d | %d / %d | %d | %d | %s | %s | %s | %s |%n",
                phase, r.sent, r.accepted202, r.raised, r.offered, r.accepts, r.inApp, r.texts, r.calls, r.dupTasks,
                r.dupEvents, r.dupOffers, r.unrecordedTexts, r.unrecordedCalls, r.lost, r.overdueTimers, r.lateness,
                recoveryNanos < 0 ? "–" : seconds(recoveryNanos), raisedAgain,
                AppProcess.loadAverage());
        System.out.printf("  sent twice: %d page references texted to one number more often than rows name them, %d delivery rows called "
                + "more than once; %d call sids recorded on several voice rows; %d notifications' steps planned in "
                + "more than one row%n", r.textsTwice, r.callsTwice, r.sharedCallSids, r.plannedTwice);
    }

    /**
     * For each text and call at the fake that no row records (at most 20 of each), and each row called more than once
     * (at most 10): what the fake has (when, to, the
     * text's body: page text, never patient data; the call's row) and the rows it was meant for — a text's by the
     * references it names and its number, a call's by the delivery id its TwiML URL ends with — with each row's state
     * and its last steps of history. So the run says why without another one.
     */
    private void explainUnrecorded() throws Exception {
        Properties infra = new Properties();
        try (FileInputStream in = new FileInputStream(dir.resolve("harness/standalone.properties").toFile())) {
            infra.load(in);
        }
        List<FakeTwilio.Sms> taken = twilio.received();
        List<FakeTwilio.Call> placed = twilio.calls();
        try (Connection c = DriverManager.getConnection(infra.getProperty("jdbc.url"), "postgres", "postgres")) {
            Set<String> recorded = new HashSet<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select distinct provider_id from delivery where provider_id is not null")) {
                while (rs.next()) {
                    recorded.add(rs.getString(1));
                }
            }
            List<FakeTwilio.Sms> texts = taken.stream().filter(t -> !recorded.contains(t.sid())).toList();
            List<FakeTwilio.Call> calls = placed.stream().filter(k -> !recorded.contains(k.sid())).toList();
            // Texts and calls that never went: a page lost shows here, not among the unrecorded.
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select channel, left(reason, 80), count(*) from delivery where channel "
                         + "in ('sms', 'voice') and status = 'failed' group by 1, 2 order by 3 desc")) {
                System.out.println("  texts and calls failed (channel, reason: rows):");
                while (rs.next()) {
                    System.out.printf("    %s, %s: %d%n", rs.getString(1), rs.getString(2), rs.getLong(3));
                }
            }
            Map<String, List<FakeTwilio.Sms>> perRef = new HashMap<>();
            for (FakeTwilio.Sms t : taken) {
                Matcher m = REF.matcher(t.body() == null ? "" : t.body());
                while (m.find()) {
                    perRef.computeIfAbsent(t.to() + " " + m.group(1), k -> new ArrayList<>()).add(t);
                }
            }
            perRef.values().removeIf(l -> l.size() < 2);
            if (!perRef.isEmpty()) {
                System.out.println("  page references texted to one number more than once (at most 10), and their rows:");
            }
            for (List<FakeTwilio.Sms> same : perRef.values().stream().limit(10).toList()) {
                for (FakeTwilio.Sms t : same) {
                    System.out.printf("    text %s at %s to %s: \"%s\"%n", t.sid(), t.at(), t.to(), t.body());
                }
                Matcher m = REF.matcher(same.get(0).body());
                List<String> refs = new ArrayList<>();
                while (m.find()) {
                    refs.add(m.group(1));
                }
                rows(c, "channel = 'sms' and ref = any(?::text[]) and (address = ? or address is null)",
                        refs.toArray(String[]::new), same.get(0).to());
            }
            // Rows called more than once: each call (with its sid, recorded or not), then the row and the rows of
            // the same number whose calls are recorded with those sids (a reconciliation that adopted another's call).
            Map<String, List<FakeTwilio.Call>> perRow = new java.util.LinkedHashMap<>();
            for (FakeTwilio.Call k : placed) {
                String url = String.valueOf(k.url());
                perRow.computeIfAbsent(url.substring(url.lastIndexOf('/') + 1), r -> new ArrayList<>()).add(k);
            }
            perRow.values().removeIf(l -> l.size() < 2);
            if (!perRow.isEmpty()) {
                System.out.println("  delivery rows called more than once (at most 10), and the rows holding those calls:");
            }
            for (Map.Entry<String, List<FakeTwilio.Call>> same : perRow.entrySet().stream().limit(10).toList()) {
                for (FakeTwilio.Call k : same.getValue()) {
                    System.out.printf("    call %s at %s to %s, for row %s%s%n", k.sid(), k.at(), k.to(), same.getKey(),
                            recorded.contains(k.sid()) ? "" : " (recorded on no row)");
                }
                rows(c, "id = ?::uuid or provider_id = any(?::text[])", same.getKey(),
                        same.getValue().stream().map(FakeTwilio.Call::sid).toArray(String[]::new));
            }
            if (texts.isEmpty() && calls.isEmpty()) {
                return;
            }
            System.out.println("  texts and calls at the fake that no row records, and the rows they were for:");
            for (FakeTwilio.Sms t : texts.subList(0, Math.min(20, texts.size()))) {
                System.out.printf("    text %s at %s to %s: \"%s\"%n", t.sid(), t.at(), t.to(), t.body());
                List<String> refs = new ArrayList<>();
                Matcher m = REF.matcher(t.body() == null ? "" : t.body());
                while (m.find()) {
                    refs.add(m.group(1));
                }
                rows(c, "channel = 'sms' and ref = any(?::text[]) and (address = ? or address is null)",
                        refs.toArray(String[]::new), t.to());
            }
            for (FakeTwilio.Call k : calls.subList(0, Math.min(20, calls.size()))) {
                String url = String.valueOf(k.url());
                String row = url.substring(url.lastIndexOf('/') + 1);
                System.out.printf("    call %s at %s to %s, for row %s%n", k.sid(), k.at(), k.to(), row);
                rows(c, "id = ?::uuid", row);
            }
        }
    }

    /** Prints the delivery rows matching {@code where}: state, sid, attempts, unsure since, and the last 6 history steps. */
    private static void rows(Connection c, String where, Object... params) throws Exception {
        try (java.sql.PreparedStatement ps = c.prepareStatement("select id, task_id, staff_id, status, provider_id, "
                + "attempts, unsure_since, updated_at, reason from delivery where " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            boolean any = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    any = true;
                    System.out.printf("      row %s (task %s, %s): %s, sid %s, attempts %d, unsure since %s, updated %s: %s%n",
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9));
                    try (java.sql.PreparedStatement h = c.prepareStatement("select at, status, reason from (select seq, "
                            + "at, status, reason from delivery_status_history where delivery_id = ?::uuid order by seq "
                            + "desc limit 6) x order by seq")) {
                        h.setString(1, rs.getString(1));
                        try (ResultSet hs = h.executeQuery()) {
                            while (hs.next()) {
                                System.out.printf("        %s %s %s%n", hs.getString(1), hs.getString(2),
                                        hs.getString(3) == null ? "" : hs.getString(3));
                            }
                        }
                    }
                }
            }
            if (!any) {
                System.out.println("      no such row");
            }
        }
    }

    /** The app's worst recent timer lateness ({@code pagerless_timers_lateness_seconds_max}, Micrometer's max over its
     * last ~2 minutes); "?" if unreachable. */
    private String lateness() {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(BASE + "/q/metrics")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("pagerless_timers_lateness_seconds_max"))
                    .map(l -> String.format("%.1f s", Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
                    .findFirst().orElse("none");
        } catch (Exception e) {
            return "?";
        }
    }

    /** The sum of {@code pagerless_consumer_lag} over every consumer; -1 if the metrics did not answer. */
    private long consumerLag() {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(BASE + "/q/metrics")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("pagerless_consumer_lag{"))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** How many rows of the query's single column are among {@code ids}. */
    private static long countOf(Statement st, String sql, Set<String> ids) throws Exception {
        long n = 0;
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (ids.contains(rs.getString(1))) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    static {
        System.out.println("| after | sent | 202 | raised | offered | accepted | in-app delivered | texts | calls "
                + "| dup tasks / events / offers | texts / calls not in the outbox | 202 not raised (yet) | timers overdue > 15 s "
                + "| worst timer lateness | recovery | raised again | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    }
}
