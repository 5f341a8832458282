package org.pagerless.escalation;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.pagerless.platform.Topics;
import org.pagerless.platform.engine.EngineLoop;
import org.pagerless.support.PagerlessInfra;
import org.pagerless.task.CommandGateway.Acks;
import org.pagerless.task.model.TaskCommand;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Timer lateness (broker has the EscalationDue − due time) with 100,000 open timers, and timer firings per
 * second, measured beside the floor in the same run: one Kafka round trip ({@code acks=all}) plus one
 * synchronous PostgreSQL commit. A program, not a test; results go in {@code docs/benchmarks.md}.
 *
 * <pre>
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) \
 *     org.pagerless.escalation.TimerLatenessBenchmark [openTimers] [dueInWindow] [windowSeconds] [burst]
 * </pre>
 *
 * Uses the real {@link TimerTicker} and {@link TimerStore} against the test kit's KRaft broker and an
 * embedded PostgreSQL, in the application's engine module ({@link TimerModule} in an {@link EngineLoop}: next due time, at most
 * every 250 ms).
 */
public final class TimerLatenessBenchmark {
    private static final Duration TICK = Duration.ofMillis(250);
    private static final int BATCH = 500;

    private TimerLatenessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int open = arg(args, 0, 100_000);
        int dueInWindow = arg(args, 1, 5_000);
        int windowSeconds = arg(args, 2, 20);
        int burst = arg(args, 3, 20_000);
        Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        PagerlessInfra infra = new PagerlessInfra();
        Map<String, String> config = infra.start();
        try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             KafkaProducer<String, String> producer = producer(config.get("kafka.bootstrap.servers"))) {
            String url = config.get("quarkus.datasource.jdbc.url");
            Flyway.configure().dataSource(url, config.get("quarkus.datasource.username"),
                    config.get("quarkus.datasource.password")).load().migrate();
            createTopic(config.get("kafka.bootstrap.servers"));
            DataSource ds = singleConnection(connection);
            ObjectMapper json = new ObjectMapper();
            TimerTicker.CommandSender sink = commands -> send(producer, json, commands);

            Floor floor = floor(connection, producer);
            seed(connection, open, dueInWindow, windowSeconds);

            ConcurrentLinkedQueue<Long> lateness = new ConcurrentLinkedQueue<>();
            TimerTicker ticker = new TimerTicker(new org.pagerless.platform.Jdbc(ds), new TimerStore(), sink, InstantSource.system(), BATCH,
                    1, late -> lateness.add(late.toNanos()));
            EngineLoop loop = new EngineLoop(new TimerModule(ticker, TICK), InstantSource.system(),
                    Duration.ofMinutes(1), new SimpleMeterRegistry());
            loop.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(windowSeconds + 10);
            while (lateness.size() < dueInWindow && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            loop.stop();
            List<Long> late = new ArrayList<>(lateness);
            Collections.sort(late);

            // Throughput: make `burst` of the far-future timers due now and drain them with one ticker.
            makeDue(connection, burst);
            ConcurrentLinkedQueue<Long> burstLateness = new ConcurrentLinkedQueue<>();
            TimerTicker drainer = new TimerTicker(new org.pagerless.platform.Jdbc(ds), new TimerStore(), sink, InstantSource.system(), BATCH,
                    1, l -> burstLateness.add(l.toNanos()));
            long start = System.nanoTime();
            int fired = 0;
            for (int n = drainer.tick(); n > 0; n = drainer.tick()) {
                fired += n;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double perSecond = fired / seconds;

            report(new PrintWriter(System.out, true), open, dueInWindow, windowSeconds, late, floor, fired, seconds,
                    perSecond);
        } finally {
            infra.stop();
        }
        System.exit(0);
    }

    record Floor(List<Long> kafka, List<Long> commit) {
        long p(List<Long> sorted, double q) {
            return percentile(sorted, q);
        }
    }

    private static Floor floor(Connection c, KafkaProducer<String, String> producer) throws Exception {
        List<Long> kafka = new ArrayList<>();
        List<Long> commit = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("create table if not exists bench_floor (id bigserial primary key, at timestamptz)");
        }
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("insert into bench_floor (at) values (now())")) {
            for (int i = 0; i < 1200; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>("bench-floor", "k" + i, "{\"floor\":" + i + "}")).get();
                long t1 = System.nanoTime();
                ps.executeUpdate();
                c.commit();
                long t2 = System.nanoTime();
                if (i >= 200) { // warm-up excluded
                    kafka.add(t1 - t0);
                    commit.add(t2 - t1);
                }
            }
        }
        c.setAutoCommit(true);
        Collections.sort(kafka);
        Collections.sort(commit);
        return new Floor(kafka, commit);
    }

    /** {@code open} task rows, each with a timer: {@code due} of them fall due evenly over the window, the rest in hours. */
    private static void seed(Connection c, int open, int due, int windowSeconds) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    insert into task (id, kind, priority, status, fyi, target_type, target_id, requester, raised_at,
                                      updated_at, version, state)
                    select gen_random_uuid(), 'BLEEP', 'URGENT', 'OFFERED', false, 'ROLE', 'med-sho-oncall', 'bench',
                           now(), now(), 1, '{}'::jsonb
                    from generate_series(1, %d)
                    """.formatted(open));
            st.execute("""
                    insert into timer (task_id, kind, due_at, fence)
                    select id, 'ACK_TIMEOUT',
                           case when n <= %d then now() + interval '3 seconds' + (n * interval '1 millisecond' * %d / %d)
                                else now() + interval '2 hours' + n * interval '1 second' end,
                           1
                    from (select id, row_number() over () as n from task) t
                    """.formatted(due, windowSeconds * 1000, due));
            st.execute("analyze timer");
        }
    }

    private static void makeDue(Connection c, int count) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    update timer set due_at = now() - interval '1 second'
                    where task_id in (select task_id from timer order by due_at limit %d)
                    """.formatted(count));
        }
    }

    private static Acks send(KafkaProducer<String, String> producer, ObjectMapper json, List<TaskCommand> commands) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(commands.size());
        for (TaskCommand command : commands) {
            ObjectNode node = json.valueToTree(command);
            node.put("type", command.getClass().getSimpleName());
            sends.add(producer.send(new ProducerRecord<>(Topics.TASK_COMMANDS, command.taskId().toString(),
                    node.toString())));
        }
        return () -> {
            try {
                for (Future<RecordMetadata> s : sends) {
                    s.get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException("broker did not acknowledge", e);
            }
        };
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void createTopic(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(Topics.TASK_COMMANDS, 6, (short) 1),
                    new NewTopic("bench-floor", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A data source over one connection that "close" leaves open: a pool of one, as the ticker thread needs. */
    private static DataSource singleConnection(Connection connection) {
        Connection handle = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, methodArgs) -> {
                    if (method.getName().equals("close")) {
                        connection.setAutoCommit(true);
                        return null;
                    }
                    try {
                        return method.invoke(connection, methodArgs);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, methodArgs) -> {
                    if (method.getName().equals("getConnection")) {
                        return handle;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void report(PrintWriter out, int open, int due, int window, List<Long> late, Floor floor,
                               int fired, double seconds, double perSecond) {
        long kafka50 = floor.p(floor.kafka(), 0.50);
        long kafka99 = floor.p(floor.kafka(), 0.99);
        long commit50 = floor.p(floor.commit(), 0.50);
        long commit99 = floor.p(floor.commit(), 0.99);
        long floor50 = kafka50 + commit50;
        long floor99 = kafka99 + commit99;
        long l50 = percentile(late, 0.50);
        long l99 = percentile(late, 0.99);
        long lmax = late.isEmpty() ? 0 : late.get(late.size() - 1);
        out.printf("cores: %d, open timers: %d, due during the run: %d over %d s (fired: %d), tick at most every %d ms, batch %d%n",
                Runtime.getRuntime().availableProcessors(), open, due, window, late.size(), TICK.toMillis(), BATCH);
        out.printf("| measure | p50 | p99 | max |%n|---|---|---|---|%n");
        out.printf("| floor: Kafka round trip (acks=all) | %s | %s | %s |%n", ms(kafka50), ms(kafka99),
                ms(floor.kafka().get(floor.kafka().size() - 1)));
        out.printf("| floor: PostgreSQL commit (one row) | %s | %s | %s |%n", ms(commit50), ms(commit99),
                ms(floor.commit().get(floor.commit().size() - 1)));
        out.printf("| floor: sum | %s | %s | |%n", ms(floor50), ms(floor99));
        out.printf("| timer lateness (due → broker ack) | %s | %s | %s |%n", ms(l50), ms(l99), ms(lmax));
        out.printf("| lateness ÷ floor | %.1f× | %.1f× | |%n", (double) l50 / floor50, (double) l99 / floor99);
        double floorPerSecond = 1e9 / floor50;
        out.printf("burst: %d due timers drained by one ticker in %.2f s = %.0f firings/s; floor (one Kafka round "
                + "trip + one commit at a time) %.0f/s; ratio %.1f×%n", fired, seconds, perSecond, floorPerSecond,
                perSecond / floorPerSecond);
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
