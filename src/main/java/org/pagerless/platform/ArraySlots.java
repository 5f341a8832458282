package org.pagerless.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Array parameters written as {@code array[?::type, …]} of a fixed length (4, 16 or 64 slots; the unused ones null), so
 * PostgreSQL knows how many elements a statement's arrays hold when it plans it once for every execution (ADR 0087).
 * <p>
 * With one array parameter ({@code unnest(?::text[])}, {@code = any(?)}) the plan it would keep assumes a hundred
 * elements (ten for {@code = any}), costs more than the plans made for the one to four elements a batch of texts or
 * calls holds, and so never replaces them: the statement was planned again at every execution, a quarter of a
 * millisecond of the database's CPU each time. Past the largest length the arrays are bound whole, as before.
 */
public final class ArraySlots {
    /** An empty slot: {@link Jdbc#text} of null, so every slot is bound as text whatever it holds. */
    static final Object NULL = Jdbc.text(null);

    private static final int[] LENGTHS = {4, 16, 64};
    /** Per template and types, its statement for each length in {@link #LENGTHS}, then with the arrays whole. */
    private static final Map<List<Object>, String[]> SQL = new ConcurrentHashMap<>();

    private ArraySlots() {
    }

    /**
     * The statement for arrays of {@code n} elements: each {@code %s} of {@code template} in turn an
     * {@code array[?::type, …]} of the length {@code n} rounds up to, with the {@code types} in the same order; past the
     * largest length, a {@code ?::type[]} bound whole.
     */
    public static String sql(String template, int n, String... types) {
        String[] byLength = SQL.computeIfAbsent(List.of(template, Arrays.asList(types)), k -> {
            String[] statements = new String[LENGTHS.length + 1];
            for (int l = 0; l < statements.length; l++) {
                Object[] arrays = new Object[types.length];
                for (int a = 0; a < types.length; a++) {
                    arrays[a] = l == LENGTHS.length ? "?::" + types[a] + "[]" : slots(LENGTHS[l], types[a]);
                }
                statements[l] = template.formatted(arrays);
            }
            return statements;
        });
        return byLength[lengthIndex(n)];
    }

    /**
     * The parameters for {@link #sql} with the same {@code n}, to bind with {@link Jdbc}: each array's values then
     * {@link #NULL} up to its length, or each array whole past the largest. Every array must hold {@code n} values; each
     * goes as its text, which the statement casts to its type.
     */
    public static Object[] params(int n, Object[]... arrays) {
        int length = length(n);
        List<Object> flat = new ArrayList<>(length == 0 ? arrays.length : length * arrays.length);
        for (Object[] values : arrays) {
            if (values.length != n) {
                throw new IllegalArgumentException(values.length + " values for " + n);
            }
            if (length == 0) {
                String[] text = new String[n];
                for (int i = 0; i < n; i++) {
                    text[i] = values[i] == null ? null : values[i].toString();
                }
                flat.add(text);
                continue;
            }
            for (int i = 0; i < length; i++) {
                flat.add(i < n && values[i] != null ? values[i].toString() : NULL);
            }
        }
        return flat.toArray();
    }

    /** {@link #params(int, Object[]...)} after one parameter that comes before the arrays in the statement. */
    public static Object[] params(Object first, int n, Object[]... arrays) {
        Object[] slots = params(n, arrays);
        Object[] all = new Object[slots.length + 1];
        all[0] = first;
        System.arraycopy(slots, 0, all, 1, slots.length);
        return all;
    }

    /** How many slots {@code n} elements take; 0 past the largest length (the arrays go whole). */
    static int length(int n) {
        int l = lengthIndex(n);
        return l == LENGTHS.length ? 0 : LENGTHS[l];
    }

    /** The smallest of {@link #LENGTHS} that {@code n} fits, by index; past the largest, their number. */
    private static int lengthIndex(int n) {
        int l = 0;
        while (l < LENGTHS.length && n > LENGTHS[l]) {
            l++;
        }
        return l;
    }

    private static String slots(int length, String type) {
        StringBuilder sql = new StringBuilder("array[");
        for (int i = 0; i < length; i++) {
            sql.append(i == 0 ? "" : ", ").append("?::").append(type);
        }
        return sql.append(']').toString();
    }
}
