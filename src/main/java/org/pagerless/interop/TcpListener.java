package org.pagerless.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import org.jboss.logging.Logger;

/**
 * A plain TCP listener for the line protocols hospital systems speak (SNPP, HL7 v2 over MLLP): blocking sockets on
 * a fixed pool, at most {@code maxConnections} at once (one more is told {@code busy} and closed), each read bounded
 * by {@code idleTimeout}. What a connection says is up to its {@link Conversation}.
 */
public final class TcpListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TcpListener.class);

    /** Talks to one client; returns (or throws) when the connection is done. */
    public interface Conversation {
        void converse(Socket socket) throws IOException;
    }

    /** Answers a client turned away because every slot is taken. */
    public interface Busy {
        void refuse(Socket socket) throws IOException;
    }

    private final String name;
    private final ServerSocket server;
    private final ExecutorService workers;
    private final Semaphore slots;

    private TcpListener(String name, ServerSocket server, int maxConnections) {
        this.name = name;
        this.server = server;
        this.slots = new Semaphore(maxConnections);
        this.workers = Executors.newFixedThreadPool(maxConnections + 1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds and starts accepting. Port 0 takes a free port ({@link #port()} says which). */
    public static TcpListener start(String name, String host, int port, int maxConnections, Duration idleTimeout,
                                    Conversation conversation, Busy busy) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 50);
        TcpListener listener = new TcpListener(name, server, maxConnections);
        listener.workers.execute(() -> listener.accept(idleTimeout, conversation, busy));
        LOG.infof("%s listening on %s:%d", name, host, listener.port());
        return listener;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept(Duration idleTimeout, Conversation conversation, Busy busy) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setSoTimeout((int) idleTimeout.toMillis());
                if (!slots.tryAcquire()) {
                    try (socket) {
                        busy.refuse(socket);
                    }
                    continue;
                }
                workers.execute(() -> {
                    try (socket) {
                        conversation.converse(socket);
                    } catch (IOException e) {
                        LOG.debugf("%s connection ended: %s", name, e.getClass().getSimpleName());
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warnf("%s accept failed: %s", name, e.getClass().getSimpleName());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        workers.shutdownNow();
    }
}
