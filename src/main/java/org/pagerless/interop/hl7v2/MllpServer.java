package org.pagerless.interop.hl7v2;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.interop.TcpListener;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * HL7 v2 over MLLP (0x0B message 0x1C 0x0D) from the trust's integration engine: each framed message goes to
 * {@link AdtFeed} and its ACK goes back framed, in order, on the same connection. Messages are bounded in size; a
 * connection idle for the idle timeout is closed. Logs never carry message content.
 */
@ApplicationScoped
public class MllpServer {
    private static final Logger LOG = Logger.getLogger(MllpServer.class);
    static final int START = 0x0B;
    static final int END = 0x1C;
    static final int CR = 0x0D;
    static final int MAX_MESSAGE = 1024 * 1024;

    @ConfigProperty(name = "pagerless.interop.mllp.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "pagerless.interop.mllp.host", defaultValue = "0.0.0.0")
    String host;
    @ConfigProperty(name = "pagerless.interop.mllp.port", defaultValue = "2575")
    int configuredPort;
    @ConfigProperty(name = "pagerless.interop.mllp.max-connections", defaultValue = "8")
    int maxConnections;
    @ConfigProperty(name = "pagerless.interop.mllp.idle-timeout", defaultValue = "5m")
    Duration idleTimeout;

    @Inject
    AdtFeed feed;

    private TcpListener listener;

    void start(@Observes StartupEvent started) throws IOException {
        if (!enabled) {
            LOG.info("MLLP listener off (pagerless.interop.mllp.enabled=false)");
            return;
        }
        listener = TcpListener.start("mllp", host, configuredPort, maxConnections, idleTimeout, this::converse,
                socket -> { });
    }

    void stop(@Observes ShutdownEvent stopping) throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    /** The port it listens on (the one the system chose when configured as 0); -1 when off. */
    public int port() {
        return listener == null ? -1 : listener.port();
    }

    private void converse(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        while (true) {
            byte[] message;
            try {
                message = readFrame(in);
            } catch (SocketTimeoutException e) {
                return;
            }
            if (message == null) {
                return;
            }
            String ack = feed.receive(new String(message, StandardCharsets.UTF_8));
            out.write(START);
            out.write(ack.getBytes(StandardCharsets.UTF_8));
            out.write(END);
            out.write(CR);
            out.flush();
        }
    }

    /** The next framed message (bytes before the start block are skipped); null at end of stream. */
    static byte[] readFrame(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
            if (b < 0) {
                return null;
            }
        } while (b != START);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == END) {
                int next = in.read();
                if (next == CR || next < 0) {
                    return message.toByteArray();
                }
                message.write(b);
                b = next;
            }
            if (message.size() >= MAX_MESSAGE) {
                throw new IOException("MLLP message larger than " + MAX_MESSAGE + " bytes");
            }
            message.write(b);
        }
    }
}
