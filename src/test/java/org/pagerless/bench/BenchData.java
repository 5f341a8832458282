package org.pagerless.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's data directory (its broker's logs, its database, the application's logs): a fresh temporary one,
 * deleted when the benchmark's JVM exits — a run of loaded rounds leaves gigabytes, and a few runs fill the disk —
 * unless {@code -Dbench.keep-data=true}, to read the logs or the database after.
 */
final class BenchData {
    private BenchData() {
    }

    static Path fresh(String name) throws IOException {
        Path dir = Files.createTempDirectory("pagerless-" + name + "-");
        if (Boolean.getBoolean("bench.keep-data")) {
            System.out.println("data kept in " + dir + " (-Dbench.keep-data)");
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    delete(dir);
                } catch (IOException | UncheckedIOException e) {
                    System.err.println("could not delete " + dir + ": " + e);
                }
            }, "bench-data-delete"));
        }
        return dir;
    }

    /** Deletes {@code dir} and everything under it, if it is there. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
