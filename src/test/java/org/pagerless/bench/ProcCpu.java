package org.pagerless.bench;

import java.nio.file.Files;
import java.nio.file.Path;

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

    /** The fields of {@code <process dir>/stat} after the command name (field 3 on: state, ppid, ...). */
    private static String[] fields(Path process) throws java.io.IOException {
        String stat = Files.readString(process.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
