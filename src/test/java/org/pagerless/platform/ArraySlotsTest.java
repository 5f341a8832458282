package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArraySlotsTest {
    @Test
    void anArrayTakesTheSmallestLengthItFitsAndTheRestOfItsSlotsAreNull() {
        assertThat(ArraySlots.sql("select * from unnest(%s, %s)", 3, "uuid", "bigint"))
                .isEqualTo("select * from unnest(array[?::uuid, ?::uuid, ?::uuid, ?::uuid], "
                        + "array[?::bigint, ?::bigint, ?::bigint, ?::bigint])");
        assertThat(ArraySlots.params(3, new Object[] {"a", null, "c"}, new Object[] {1L, 2L, 3L}))
                .containsExactly("a", ArraySlots.NULL, "c", ArraySlots.NULL, "1", "2", "3", ArraySlots.NULL);
        assertThat(ArraySlots.sql("%s", 5, "text")).hasToString("array[" + "?::text, ".repeat(15) + "?::text]");
        assertThat(ArraySlots.params(64, new Object[64])).hasSize(64);
        assertThat(ArraySlots.params("60000 milliseconds", 1, new Object[] {"sms"}))
                .containsExactly("60000 milliseconds", "sms", ArraySlots.NULL, ArraySlots.NULL, ArraySlots.NULL);
    }

    @Test
    void pastTheLargestLengthEachArrayGoesWholeAsText() {
        Object[] values = new Object[65];
        values[0] = 7L;
        assertThat(ArraySlots.sql("unnest(%s)", 65, "bigint")).isEqualTo("unnest(?::bigint[])");
        Object[] params = ArraySlots.params(65, values);
        assertThat(params).hasSize(1);
        assertThat((String[]) params[0]).hasSize(65).startsWith("7", null);
    }

    @Test
    void everyArrayHoldsTheSameNumberOfValues() {
        assertThatThrownBy(() -> ArraySlots.params(2, new Object[] {"a", "b"}, new Object[] {"c"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 values for 2");
    }
}
