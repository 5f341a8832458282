package org.pagerless.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.pagerless.platform.Retention;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Table sizes before and after retention, for 100,000 tasks. A program, not a test; results go in
 * {@code docs/reliability.md}.
 * <p>
 * Builds the schema with the application's own migrations in an embedded PostgreSQL and writes the rows 100,000
 * finished tasks leave behind, in the shape the application writes them (per task: the task, 4 audit events —
 * raised, offered, accepted, completed —, 3 processed commands, an in-app delivery read with 2 status rows, a push
 * delivery withdrawn with 1, and for every 5th task a text delivered with 3), half of them finished 40 days ago and
 * half yesterday, plus 1,000 open tasks with a pending text and a timer. Then runs the application's
 * {@link Retention.Pruner} with the default periods (30 days) and reports rows and on-disk size per table before,
 * after pruning, and after a plain {@code VACUUM} (which makes the space reusable; files shrink only with
 * {@code VACUUM FULL}), and how long pruning took.
 *
 * <pre>
 * ./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.RetentionBenchmark [tasks]
 * </pre>
 */
public final class RetentionBenchmark {
    private static final List<String> TABLES = List.of("task", "task_event", "processed_command", "delivery",
            "delivery_status_history", "timer");

    private RetentionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DataSource ds = postgres.getPostgresDatabase();
            Flyway.configure().dataSource(ds).load().migrate();
            Instant now = Instant.now();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                long t0 = System.nanoTime();
                seed(st, tasks);
                System.out.printf("seeded %,d finished and 1,000 open tasks in %.1f s%n", tasks,
                        (System.nanoTime() - t0) / 1e9);
                st.execute("vacuum analyze");
                Map<String, long[]> before = sizes(st);

                long p0 = System.nanoTime();
                Duration period = Duration.ofDays(30);
                Map<String, Long> pruned = new Retention.Pruner(ds, 5000).prune(now.minus(period), now.minus(period),
                        now.minus(period));
                double seconds = (System.nanoTime() - p0) / 1e9;
                Map<String, long[]> after = sizes(st);
                st.execute("vacuum analyze");
                Map<String, long[]> vacuumed = sizes(st);

                System.out.printf("pruned in %.1f s: %s%n%n", seconds, pruned);
                System.out.println("| table | rows before | rows after | size before | size after pruning | size after VACUUM |");
                System.out.println("|---|---|---|---|---|---|");
                for (String t : TABLES) {
                    System.out.printf("| %s | %,d | %,d | %s | %s | %s |%n", t, before.get(t)[0], after.get(t)[0],
                            mb(before.get(t)[1]), mb(after.get(t)[1]), mb(vacuumed.get(t)[1]));
                }
                System.out.printf("%nload average: %s%n", java.nio.file.Files.readString(
                        java.nio.file.Path.of("/proc/loadavg")).trim());
            }
        }
    }

    private static void seed(Statement st, int tasks) throws Exception {
        // Finished tasks: i <= tasks / 2 finished 40 days ago, the rest yesterday.
        String age = "(case when i <= " + tasks / 2 + " then interval '40 days' else interval '1 day' end)";
        st.execute("""
                insert into task (id, kind, priority, status, fyi, ward_id, target_type, target_id, requester, owner,
                                  raised_at, updated_at, version, state)
                select md5('t' || i)::uuid, 'bleep', 'urgent', 'completed', false, null, 'ROLE', 'med-sho-oncall',
                       'sam.patel', 'amira.khan', now() - %1$s, now() - %1$s, 4, '{}'::jsonb
                from generate_series(1, %2$d) i""".formatted(age, tasks));
        st.execute("""
                insert into task_event (event_id, task_id, command_id, type, actor, at, payload)
                select md5('e' || i || '-' || k)::uuid, md5('t' || i)::uuid, md5('c' || i || '-' || least(k, 3))::uuid,
                       (array['TaskRaised', 'TaskOffered', 'TaskAccepted', 'TaskCompleted'])[k], 'sam.patel',
                       now() - %1$s, '{}'::jsonb
                from generate_series(1, %2$d) i, generate_series(1, 4) k""".formatted(age, tasks));
        st.execute("""
                insert into processed_command (command_id, task_id, processed_at)
                select md5('c' || i || '-' || k)::uuid, md5('t' || i)::uuid, now() - %1$s
                from generate_series(1, %2$d) i, generate_series(1, 3) k""".formatted(age, tasks));
        st.execute("""
                insert into delivery (id, notification_id, event_id, task_id, staff_id, channel, step, priority, fyi, kind,
                                      ref, status, provider_id, due_at, expires_at, created_at, updated_at)
                select md5('d' || i || ch)::uuid, md5('n' || i || ch)::uuid, md5('e' || i || '-2')::uuid,
                       md5('t' || i)::uuid, 'amira.khan', ch, 0, 'urgent', false, 'offer', 'ABC123',
                       case ch when 'in-app' then 'read' when 'push' then 'withdrawn' else 'delivered' end,
                       case ch when 'sms' then 'SM' || md5('s' || i) end,
                       now() - %1$s, now() - %1$s + interval '10 minutes', now() - %1$s, now() - %1$s
                from generate_series(1, %2$d) i, unnest(array['in-app', 'push', 'sms']) ch
                where ch <> 'sms' or i %% 5 = 0""".formatted(age, tasks));
        st.execute("""
                insert into delivery_status_history (delivery_id, status, at)
                select d.id, s, d.updated_at from delivery d,
                       unnest(case d.channel when 'in-app' then array['sent', 'read']
                                             when 'push' then array['withdrawn']
                                             else array['queued', 'sent', 'delivered'] end) s""");
        // Open tasks: kept whatever their age.
        st.execute("""
                insert into task (id, kind, priority, status, fyi, ward_id, target_type, target_id, requester, owner,
                                  raised_at, updated_at, version, state)
                select md5('o' || i)::uuid, 'bleep', 'urgent', 'offered', false, null, 'ROLE', 'med-sho-oncall',
                       'sam.patel', null, now(), now(), 2, '{}'::jsonb
                from generate_series(1, 1000) i""");
        st.execute("""
                insert into timer (task_id, kind, due_at, fence)
                select md5('o' || i)::uuid, 'ACK_TIMEOUT', now() + interval '10 minutes', 1 from generate_series(1, 1000) i""");
        st.execute("""
                insert into delivery (id, notification_id, event_id, task_id, staff_id, channel, step, priority, fyi, kind,
                                      ref, status, due_at, expires_at, created_at, updated_at)
                select md5('od' || i)::uuid, md5('on' || i)::uuid, md5('oe' || i)::uuid, md5('o' || i)::uuid,
                       'amira.khan', 'sms', 1, 'urgent', false, 'offer', 'DEF456', 'pending',
                       now() + interval '2 minutes', now() + interval '10 minutes', now() - interval '60 days',
                       now() - interval '60 days'
                from generate_series(1, 1000) i""");
    }

    private static Map<String, long[]> sizes(Statement st) throws Exception {
        Map<String, long[]> sizes = new java.util.LinkedHashMap<>();
        for (String t : TABLES) {
            try (ResultSet rs = st.executeQuery("select count(*), pg_total_relation_size('" + t + "') from " + t)) {
                rs.next();
                sizes.put(t, new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return sizes;
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
