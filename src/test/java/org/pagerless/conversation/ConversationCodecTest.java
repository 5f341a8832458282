package org.pagerless.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pagerless.conversation.model.ConversationCommand;
import org.pagerless.conversation.model.ConversationCommand.PostMessage;
import org.pagerless.conversation.model.ConversationCommand.PostSystemLine;
import org.pagerless.conversation.model.PostSystemLines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The conversation commands' wire form: a task's lines in one record (ADR 0066), and the records written before it. */
class ConversationCodecTest {
    private final ConversationCodec codec = new ConversationCodec();
    private final UUID task = UUID.fromString("0f6f3a52-7c1e-4c53-9a55-3c1d1b2e4a10");
    private final Instant at = Instant.parse("2026-12-02T10:15:30.123Z");

    @BeforeEach
    void json() {
        codec.json = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Test
    void aTasksLinesInOneRecordAreReadBackAsItsLinesInOrder() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        String text = codec.lines(new PostSystemLines(task, List.of(new PostSystemLines.Line(first, "Raised by Sam Patel", at),
                new PostSystemLines.Line(second, "Offered to Dr Amira Khan, Dr Ben Okafor", at.plusMillis(4)))));

        assertThat(text).contains("\"type\":\"PostSystemLines\"");
        assertThat(codec.commands(text)).containsExactly(
                new PostSystemLine(first, task, "Raised by Sam Patel", at),
                new PostSystemLine(second, task, "Offered to Dr Amira Khan, Dr Ben Okafor", at.plusMillis(4)));
    }

    @Test
    void aRecordOfOneCommandIsReadAsBefore() {
        PostSystemLine line = new PostSystemLine(UUID.randomUUID(), task, "Accepted by Dr Amira Khan", at);
        PostMessage message = new PostMessage(UUID.randomUUID(), task, "sam.patel", "Bed 12 is ready", at, null);

        assertThat(codec.commands(codec.command(line))).containsExactly(line);
        assertThat(codec.commands(codec.command(message))).containsExactly(message);
    }

    @Test
    void linesWithoutTheirThreadOrALinesFieldAreRefusedNamingWhatIsMissing() {
        String noLines = "{\"type\":\"PostSystemLines\",\"conversationId\":\"" + task + "\",\"lines\":[]}";
        String noBody = "{\"type\":\"PostSystemLines\",\"conversationId\":\"" + task + "\",\"lines\":[{\"messageId\":\""
                + UUID.randomUUID() + "\",\"at\":\"" + at + "\"}]}";
        String noThread = "{\"type\":\"PostSystemLines\",\"lines\":[{\"messageId\":\"" + UUID.randomUUID()
                + "\",\"body\":\"Raised by Sam Patel\",\"at\":\"" + at + "\"}]}";

        assertThatThrownBy(() -> codec.commands(noLines)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lines");
        assertThatThrownBy(() -> codec.commands(noBody)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("body");
        assertThatThrownBy(() -> codec.commands(noThread)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conversationId");
        assertThatThrownBy(() -> codec.commands("{\"type\":\"PostSomethingElse\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown conversation command type");
        assertThatThrownBy(() -> codec.commands("[1,2]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKindOfCommandKeepsItsOwnTypeOnTheWire() {
        ConversationCommand line = new PostSystemLine(UUID.randomUUID(), task, "Cancelled by Sam Patel", at);
        assertThat(codec.command(line)).contains("\"type\":\"PostSystemLine\"");
    }
}
