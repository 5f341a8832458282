package org.pagerless.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What the server side has spent so far: the CPU time of a process and every process under it (the standalone JVM
 * with its embedded broker) and of the application database's PostgreSQL (postmaster and backends alive now; a
 * backend that has exited takes its CPU with it), and PostgreSQL's committed transactions and rows written in the
 * application's database. Subtracting two readings gives what a run cost, whatever the wall
 * clock of a shared machine says. {@code cpuNanos} is the whole server's; {@code postgresNanos} the part of it that
 * is PostgreSQL's.
 */
record ServerCost(long cpuNanos, long postgresNanos, long commits, long inserted, long updated) {

    static ServerCost of(ProcessHandle server, String jdbcUrl, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select xact_commit, tup_inserted, tup_updated, pg_backend_pid() "
                     + "from pg_stat_database where datname = current_database()")) {
            rs.next();
            // pg_ctl daemonises PostgreSQL, so the postmaster is not under the JVM: find it as this backend's parent.
            Set<ProcessHandle> postgres = new HashSet<>();
            ProcessHandle.of(rs.getLong(4)).flatMap(ProcessHandle::parent).ifPresent(postmaster -> {
                postgres.add(postmaster);
                postgres.addAll(postmaster.descendants().toList());
            });
            Set<ProcessHandle> processes = new HashSet<>(postgres);
            processes.add(server);
            processes.addAll(server.descendants().toList());
            return new ServerCost(cpu(processes), cpu(postgres), rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** Records in every (non-internal) topic so far: the sum of the partitions' end offsets. */
    static long kafkaRecords(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var d : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
            d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    ServerCost minus(ServerCost before) {
        return new ServerCost(cpuNanos - before.cpuNanos, postgresNanos - before.postgresNanos, commits - before.commits,
                inserted - before.inserted, updated - before.updated);
    }

    /**
     * The running standalone application: {@code -Dbench.server-pid} if given, else the one process whose command
     * line runs {@code target-standalone/quarkus-app/quarkus-run.jar}.
     */
    static Optional<ProcessHandle> standalone() {
        Long pid = Long.getLong("bench.server-pid");
        if (pid != null) {
            return ProcessHandle.of(pid);
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine()
                        .map(line -> line.contains("target-standalone/quarkus-app/quarkus-run.jar")).orElse(false))
                .findFirst();
    }

    private static long cpu(Set<ProcessHandle> processes) {
        return processes.stream().mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }
}
