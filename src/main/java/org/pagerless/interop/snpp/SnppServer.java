package org.pagerless.interop.snpp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.identity.Caller;
import org.pagerless.interop.HospitalSystems;
import org.pagerless.interop.PagerIds;
import org.pagerless.interop.TcpListener;
import org.pagerless.intake.Intake;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.rota.ReferenceData;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The SNPP listener (RFC 1861, docs/integration.md) for paging terminals and legacy software: a {@link TcpListener},
 * one {@link SnppSession} per connection. Connections, line length and idle time are bounded; a page goes through
 * intake as a bleep from the signed-in hospital system. Logs never carry what a page says.
 */
@ApplicationScoped
public class SnppServer {
    private static final Logger LOG = Logger.getLogger(SnppServer.class);
    static final int MAX_LINE = 1024;

    @ConfigProperty(name = "pagerless.interop.snpp.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "pagerless.interop.snpp.host", defaultValue = "0.0.0.0")
    String host;
    @ConfigProperty(name = "pagerless.interop.snpp.port", defaultValue = "4444")
    int configuredPort;
    @ConfigProperty(name = "pagerless.interop.snpp.max-connections", defaultValue = "16")
    int maxConnections;
    @ConfigProperty(name = "pagerless.interop.snpp.idle-timeout", defaultValue = "60s")
    Duration idleTimeout;
    @ConfigProperty(name = "pagerless.interop.default-callback", defaultValue = "0")
    String defaultCallback;

    @Inject
    HospitalSystems systems;
    @Inject
    Intake intake;
    @Inject
    ReferenceData referenceData;

    private TcpListener listener;

    void start(@Observes StartupEvent started) throws IOException {
        if (!enabled) {
            LOG.info("SNPP listener off (pagerless.interop.snpp.enabled=false)");
            return;
        }
        listener = TcpListener.start("snpp", host, configuredPort, maxConnections, idleTimeout, this::converse,
                socket -> write(socket.getOutputStream(), "421 Too Many Connections, Try Later"));
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
        SnppSession session = new SnppSession(new Gateway(), defaultCallback);
        write(out, SnppSession.greeting());
        while (true) {
            String line;
            try {
                line = readLine(in);
            } catch (SocketTimeoutException e) {
                write(out, "421 Timeout, Goodbye");
                return;
            }
            if (line == null) {
                return;
            }
            SnppSession.Reply reply = line == TOO_LONG ? session.tooLong() : session.line(line);
            for (String l : reply.lines()) {
                write(out, l);
            }
            if (reply.close()) {
                return;
            }
        }
    }

    /** Stands for a line longer than {@link #MAX_LINE}, whose rest was read and dropped. */
    private static final String TOO_LONG = new String("line too long");

    /** A line without its CR LF (a bare LF is taken too); null at end of stream; {@link #TOO_LONG}. */
    private static String readLine(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_LINE];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return length == 0 ? null : new String(buffer, 0, length, StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                if (length > 0 && buffer[length - 1] == '\r') {
                    length--;
                }
                return new String(buffer, 0, length, StandardCharsets.UTF_8);
            }
            if (length == MAX_LINE) {
                // Drop the rest of the line (the idle timeout bounds how long that may take).
                for (int c = b; c >= 0 && c != '\n'; c = in.read()) {
                    // discarded
                }
                return TOO_LONG;
            }
            buffer[length++] = (byte) b;
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The application behind a session: sign-in, pager ids and intake. */
    private final class Gateway implements SnppSession.Gateway {
        @Override
        public Optional<String> signIn(String login, String password) {
            return systems.signIn(login, password).map(Caller::staffId);
        }

        @Override
        public boolean knows(String pagerId) {
            return PagerIds.resolve(referenceData.hospital(), pagerId).isPresent();
        }

        @Override
        public Optional<String> send(String system, String pagerId, String message, String priority,
                                     String callback) {
            var to = PagerIds.resolve(referenceData.hospital(), pagerId);
            if (to.isEmpty()) {
                return Optional.of("invalid pager id");
            }
            try {
                intake.bleep(new BleepRequest(to.get(), callback, message, priority, null), system, (String) null)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                return Optional.empty();
            } catch (InvalidRequest e) {
                return Optional.of(e.violations().get(0).field() + " " + e.violations().get(0).reason());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("not accepted, retry");
            } catch (Exception e) {
                LOG.warnf("SNPP page not taken by the broker: %s", e.getClass().getSimpleName());
                return Optional.of("not accepted (message broker unavailable), retry");
            }
        }
    }
}
