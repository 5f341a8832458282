package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A record's bytes become text only if they are UTF-8 (ADR 0013: anything else is poison, parked): {@link
 * PoisonIsolation#utf8}, one copy for text without U+FFFD, reads exactly what the strict decoder ({@link
 * PoisonIsolation#strictUtf8}) reads, and refuses exactly what it refuses; read from the consumer's buffer, it reads
 * the record's value alone, wherever it lies in the buffer, and leaves the buffer as it was (so a value refused can
 * still be parked whole).
 */
class RecordTextTest {

    @Property
    void anyBytesReadAsTheStrictDecoderReadsThem(@ForAll byte[] bytes) {
        assertSameAsStrict(bytes);
    }

    @Property
    void anyTextComesBackAsItWasSent(@ForAll String text) throws CharacterCodingException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertSameAsStrict(bytes);
        assertThat(PoisonIsolation.utf8(bytes)).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
    }

    @Example
    void textTheSenderWroteAReplacementCharacterInIsText() throws CharacterCodingException {
        String sent = "{\"note\":\"scan unreadable \uFFFD\",\"ward\":\"Ward 7A — Zoë\"}";
        assertThat(PoisonIsolation.utf8(sent.getBytes(StandardCharsets.UTF_8))).isEqualTo(sent);
    }

    @Property
    void aValueInsideALargerBufferReadsAsItselfAndLeavesTheBufferAsItWas(@ForAll String before, @ForAll String text,
            @ForAll String after) throws CharacterCodingException {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] value = text.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] whole = new byte[head.length + value.length + tail.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(value, 0, whole, head.length, value.length);
        System.arraycopy(tail, 0, whole, head.length + value.length, tail.length);
        // A record's value as the consumer hands it over: a slice of the fetched (or decompressed) bytes.
        ByteBuffer slice = ByteBuffer.wrap(whole, head.length, value.length).slice();
        int position = slice.position();
        int limit = slice.limit();
        String sent = new String(value, StandardCharsets.UTF_8);

        assertThat(PoisonIsolation.utf8(slice)).isEqualTo(sent);
        assertThat(slice.position()).isEqualTo(position);
        assertThat(slice.limit()).isEqualTo(limit);
        assertThat(PoisonIsolation.utf8(slice.asReadOnlyBuffer())).isEqualTo(sent);
    }

    @Example
    void aRefusedValueIsLeftWholeForParking() {
        byte[] value = {'{', (byte) 0xC0, (byte) 0xAF, '}'};
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertThatThrownBy(() -> PoisonIsolation.utf8(buffer)).isInstanceOf(CharacterCodingException.class);
        assertThat(buffer.remaining()).isEqualTo(value.length);
    }

    @Example
    void malformedSequencesArePoison() {
        byte[][] malformed = {
            {'(', (byte) 0xC3, '(', (byte) 0x80},          // a lead byte without its continuation, a lone continuation
            {'{', (byte) 0xC0, (byte) 0xAF, '}'},          // an overlong "/"
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},       // a surrogate encoded on its own (CESU-8)
            {'a', (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // five bytes: no such UTF-8
            {'"', (byte) 0xE2, (byte) 0x82},               // cut off mid-character
        };
        for (byte[] bytes : malformed) {
            assertThatThrownBy(() -> PoisonIsolation.utf8(bytes)).isInstanceOf(CharacterCodingException.class);
        }
    }

    private static void assertSameAsStrict(byte[] bytes) {
        String strict;
        try {
            strict = PoisonIsolation.strictUtf8(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            assertThatThrownBy(() -> PoisonIsolation.utf8(bytes)).isInstanceOf(CharacterCodingException.class);
            return;
        }
        try {
            assertThat(PoisonIsolation.utf8(bytes)).isEqualTo(strict);
        } catch (CharacterCodingException e) {
            throw new AssertionError("refused bytes the strict decoder reads", e);
        }
    }
}
