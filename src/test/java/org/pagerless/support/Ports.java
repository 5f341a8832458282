package org.pagerless.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for the processes a test starts itself (a broker and database of its own, a packaged jar, Keycloak). */
public final class Ports {
    private static final int FIRST = 20_000;
    private static final int SPAN = 12_000;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port free on this machine now, below the kernel's ephemeral range (32768–60999 on Linux) and not given out
     * before in this JVM. A port from {@code new ServerSocket(0)} is ephemeral: in the seconds before the process binds
     * it, an outgoing connection can take it as its local port ("Port 42407 seems to be in use", seen in CI). Starts at
     * a random place so parallel runs rarely try the same port first.
     */
    public static int free() throws IOException {
        int offset = ThreadLocalRandom.current().nextInt(SPAN);
        for (int i = 0; i < SPAN; i++) {
            int port = FIRST + (offset + i) % SPAN;
            if (GIVEN.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                if (GIVEN.add(port)) {
                    return port;
                }
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IOException("no free port between " + FIRST + " and " + (FIRST + SPAN - 1));
    }
}
