package org.pagerless.support;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports for the processes a test starts itself (a broker and database of its own, a packaged jar). */
public final class Ports {
    private Ports() {
    }

    /** A port free on this machine now (the system picks it). */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
