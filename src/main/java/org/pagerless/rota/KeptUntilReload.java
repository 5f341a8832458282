package org.pagerless.rota;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * One answer read from the database, kept until the rota is next reloaded ({@link ReferenceData#reloads()}). A read
 * is kept only if no reload began while it ran: a reload begins after the write it follows has been committed, so a
 * read that overlapped one may have missed that write, and the next caller reads again.
 */
final class KeptUntilReload<T> {
    private record Kept<T>(long reloads, T answer) {
    }

    private final LongSupplier reloads;
    private volatile Kept<T> kept;

    KeptUntilReload(LongSupplier reloads) {
        this.reloads = reloads;
    }

    /** The kept answer if no reload has begun since it was read; otherwise {@code read}'s, kept if it may be. */
    Uni<T> get(Supplier<Uni<T>> read) {
        long seen = reloads.getAsLong();
        Kept<T> k = kept;
        if (k != null && k.reloads() == seen) {
            return Uni.createFrom().item(k.answer());
        }
        return read.get().invoke(answer -> {
            if (reloads.getAsLong() == seen) {
                kept = new Kept<>(seen, answer);
            }
        });
    }
}
