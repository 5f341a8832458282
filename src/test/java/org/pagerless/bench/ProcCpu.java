package org.pagerless.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.pagerless.standalone.EmbeddedInfra;

/** CPU time of processes so far, read from {@code /proc} (Linux; 100 clock ticks a second). */
final class ProcCpu {
    private ProcCpu() {
    }

    /** user + system CPU of a process, in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15); 0 if unreadable. */
    static long ticks(long pid) {
        try {
            String[] f = fields(Path.of("/proc", Long.toString(pid)));
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    /** The embedded PostgreSQL's CPU in clock ticks: the postmaster (with its reaped children's) and its live backends'. */
    static long postgresTicks(EmbeddedInfra infra) {
        long postmaster = EmbeddedInfra.postmasterPid(infra.postgresDirectory()).orElse(-1L);
        long total = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] f = fields(p);
                    long pid = Long.parseLong(name);
                    if (pid == postmaster) {
                        total += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                                + Long.parseLong(f[14]);
                    } else if (Long.parseLong(f[1]) == postmaster) {
                        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (Exception gone) {
                    // the process ended meanwhile
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return total;
    }

    /**
     * CPU so far by the JVM's threads, in ms: {@code main} (the thread that runs Quarkus's start, named "java" by the
     * launcher), {@code jit} (C1/C2 compiler threads), {@code gc} (G1/Parallel/Serial workers and the VM thread) and
     * {@code other} (everything else: the app's own threads, Kafka clients, Vert.x...). From
     * {@code /proc/<pid>/task/<tid>/stat}; NaN where unreadable.
     */
    static Map<String, Double> byThreadGroup(long pid) {
        Map<String, Double> split = new HashMap<>(Map.of("main", 0.0, "jit", 0.0, "gc", 0.0, "other", 0.0));
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
                    String group = name.equals("java") ? "main"
                            : name.startsWith("C1 Comp") || name.startsWith("C2 Comp") ? "jit"
                            : name.startsWith("G1 ") || name.startsWith("GC Thread") || name.startsWith("VM Thread")
                                    || name.startsWith("VM Periodic") ? "gc" : "other";
                    split.merge(group, ms, Double::sum);
                } catch (Exception threadGone) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (Exception e) {
            split.replaceAll((k, v) -> Double.NaN);
        }
        return split;
    }

    /** CPU so far of a JVM's C1 and C2 compiler threads, in ms ({@link #byThreadGroup}'s {@code jit}). */
    static double jitMillis(long pid) {
        return byThreadGroup(pid).get("jit");
    }

    /** The fields of {@code <process dir>/stat} after the command name (field 3 on: state, ppid, ...). */
    private static String[] fields(Path process) throws java.io.IOException {
        String stat = Files.readString(process.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
