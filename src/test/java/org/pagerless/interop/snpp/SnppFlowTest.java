package org.pagerless.interop.snpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pagerless.support.Api;
import org.pagerless.support.FlowTest;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** A paging terminal speaking SNPP over a plain TCP socket, through the real broker and database. */
@QuarkusTest
class SnppFlowTest extends FlowTest {
    static final String SHO = "Medical SHO On-Call";
    static final Api SWITCHBOARD = Api.as("sam.patel");

    @Inject
    SnppServer server;

    @Test
    void aSignedInSystemPagesARoleAndItsHoldersAreOfferedTheBleep() throws IOException {
        String text = "Lab: critical potassium 6.9 ward 7B bed 4 call " + System.nanoTime() % 100000;
        try (Terminal t = new Terminal(server.port())) {
            assertThat(t.read()).startsWith("220 ");
            assertThat(t.send("LOGI nurse-call demo")).isEqualTo("250 Login Accepted");
            assertThat(t.send("PAGE " + SHO)).isEqualTo("250 Pager ID Accepted");
            assertThat(t.send("LEVE 2")).startsWith("250 ");
            assertThat(t.send("CALL 4417")).startsWith("250 ");
            assertThat(t.send("MESS " + text)).isEqualTo("250 Message OK");
            assertThat(t.send("SEND")).isEqualTo("250 Message Sent Successfully");
            assertThat(t.send("QUIT")).isEqualTo("221 OK, Goodbye");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> tasks = SWITCHBOARD.get("/api/v1/tasks?status=offered&limit=1000").extract()
                    .jsonPath().getList("findAll { it.message == '" + text + "' }");
            assertThat(tasks).singleElement().satisfies(task -> {
                assertThat(task).containsEntry("priority", "asap").containsEntry("callback", "4417");
                assertThat(((Map<?, ?>) task.get("requester")).get("id")).isEqualTo("nurse-call");
            });
        });
    }

    /**
     * A standard SNPP client as an operating system ships it: Debian's Net::SNPP (libnet-snpp-perl, installed by
     * .ci/install-snpp-client), run as its own process against the listener.
     */
    @Test
    void debiansNetSnppClientSignsInAndPagesARole() throws Exception {
        String text = "Nurse call bay 2 bed 5 " + System.nanoTime() % 100000;
        Process perl = new ProcessBuilder("perl", "-MNet::SNPP", "-e", """
                my ($port, $pager, $text) = @ARGV;
                my $s = Net::SNPP->new("127.0.0.1", Port => $port, Timeout => 20) or die "connect: $@";
                $s->login("nurse-call", "demo") or die "login: " . $s->message;
                $s->send(Pager => [$pager], Message => $text) or die "send: " . $s->message;
                $s->quit;
                print "sent\n";
                """, String.valueOf(server.port()), SHO, text).redirectErrorStream(true).start();
        String output = new String(perl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(perl.waitFor()).as(output).isZero();
        assertThat(output).contains("sent");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SWITCHBOARD
                .get("/api/v1/tasks?status=offered&limit=1000").extract().jsonPath()
                .getList("findAll { it.message == '" + text + "' }")).singleElement()
                .satisfies(task -> assertThat(((Map<?, ?>) ((Map<?, ?>) task).get("requester")).get("id"))
                        .isEqualTo("nurse-call")));
    }

    @Test
    void dataTakesAMultiLineMessageEndedByADot() throws IOException {
        try (Terminal t = new Terminal(server.port())) {
            t.read();
            assertThat(t.send("2WAY")).startsWith("500 ");
            assertThat(t.send("LOGI epr demo")).isEqualTo("250 Login Accepted");
            assertThat(t.send("PAGE " + SHO)).isEqualTo("250 Pager ID Accepted");
            assertThat(t.send("DATA")).startsWith("354 ");
            t.write("Sepsis screen positive");
            t.write("..please review");
            assertThat(t.send(".")).isEqualTo("250 Message OK");
            assertThat(t.send("SEND")).isEqualTo("250 Message Sent Successfully");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SWITCHBOARD
                .get("/api/v1/tasks?status=offered&limit=1000").extract().jsonPath()
                .getList("findAll { it.message == 'Sepsis screen positive .please review' }")).hasSize(1));
    }

    @Test
    void theProtocolsOwnCodesRefuseBadInputAndTooManyErrorsCloseTheConnection() throws IOException {
        try (Terminal t = new Terminal(server.port())) {
            t.read();
            assertThat(t.send("PAGE " + SHO)).startsWith("550 ");
            assertThat(t.send("LOGI nurse-call wrong")).startsWith("550 Error, Invalid Login");
            assertThat(t.send("LOGI sam.patel demo")).startsWith("550 Error, Invalid Login");
            assertThat(t.send("LOGI nurse-call demo")).isEqualTo("250 Login Accepted");
            assertThat(t.send("SEND")).startsWith("503 ");
            assertThat(t.send("PAGE no-such-pager")).isEqualTo("550 Error, Invalid Pager ID");
            assertThat(t.read()).isEqualTo("421 Too Many Errors, Goodbye");
            assertThat(t.read()).isNull();
        }
    }

    @Test
    void anOverlongLineIsRefusedAndTheSessionGoesOn() throws IOException {
        try (Terminal t = new Terminal(server.port())) {
            t.read();
            assertThat(t.send("MESS " + "x".repeat(5000))).isEqualTo("550 Error, Line Too Long");
            assertThat(t.send("MESS " + "x".repeat(200))).startsWith("550 Error, Message Too Long");
            assertThat(t.send("QUIT")).isEqualTo("221 OK, Goodbye");
        }
    }

    /** A plain-socket SNPP client, as a paging terminal is. */
    static final class Terminal implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Terminal(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        String read() throws IOException {
            return in.readLine();
        }

        void write(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String send(String line) throws IOException {
            write(line);
            return read();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
