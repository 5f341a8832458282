package org.pagerless.interop.snpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The SNPP conversation rules, without a socket: what each line is answered. */
class SnppSessionTest {
    final List<String> sent = new ArrayList<>();
    final SnppSession session = new SnppSession(new SnppSession.Gateway() {
        @Override
        public Optional<String> signIn(String login, String password) {
            return "nurse-call".equals(login) && "demo".equals(password) ? Optional.of(login) : Optional.empty();
        }

        @Override
        public boolean knows(String pagerId) {
            return Set.of("4417", "Medical SHO On-Call").contains(pagerId);
        }

        @Override
        public Optional<String> send(String system, String pagerId, String message, String priority,
                                     String callback) {
            sent.add(String.join("|", system, pagerId, message, priority, callback));
            return Optional.empty();
        }
    }, "0");

    String say(String line) {
        return String.join("\n", session.line(line).lines());
    }

    @Test
    void aRoleNameWithSpacesIsOnePagerIdAndALastWordMayBeAPin() {
        say("LOGI nurse-call demo");
        assertThat(say("PAGE Medical SHO On-Call")).isEqualTo("250 Pager ID Accepted");
        assertThat(say("PAGE 4417 1234")).isEqualTo("250 Pager ID Accepted");
        say("MESS Call the ward");
        assertThat(say("SEND")).isEqualTo("250 Message Sent Successfully");
        assertThat(sent).containsExactly("nurse-call|Medical SHO On-Call|Call the ward|urgent|0",
                "nurse-call|4417|Call the ward|urgent|0");
    }

    @Test
    void levelSubjectAndCallerIdShapeTheBleepAndSendResetsThem() {
        say("LOGI nurse-call demo");
        say("PAGE 4417");
        assertThat(say("LEVE 0")).startsWith("250 ");
        say("SUBJ Lab");
        say("CALL 2201");
        say("MESS K+ 6.9");
        say("SEND");
        say("PAGE 4417");
        say("MESS again");
        say("SEND");
        assertThat(sent).containsExactly("nurse-call|4417|Lab: K+ 6.9|stat|2201", "nurse-call|4417|again|urgent|0");
    }

    @Test
    void aSecondMessageIsABadSequenceAndTooLongIsRefused() {
        say("LOGI nurse-call demo");
        assertThat(say("MESS " + "x".repeat(161))).startsWith("550 Error, Message Too Long");
        assertThat(say("MESS first")).isEqualTo("250 Message OK");
        assertThat(say("MESS second")).startsWith("503 ");
        assertThat(say("RESE")).isEqualTo("250 RESET OK");
        assertThat(say("SEND")).startsWith("503 ");
        assertThat(say("QUIT")).isEqualTo("221 OK, Goodbye");
        assertThat(session.line("QUIT").close()).isTrue();
        assertThat(sent).isEmpty();
    }
}
