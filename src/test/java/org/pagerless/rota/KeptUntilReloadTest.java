package org.pagerless.rota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** The rule the admin lists are kept by: until the rota is next reloaded, and never a read a reload overlapped. */
class KeptUntilReloadTest {
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final KeptUntilReload<String> kept = new KeptUntilReload<>(reloads::get);

    private Uni<String> read() {
        return Uni.createFrom().item(() -> "read " + reads.incrementAndGet());
    }

    @Test
    void anAnswerIsKeptUntilAReloadBegins() {
        assertThat(kept.get(this::read).await().indefinitely()).isEqualTo("read 1");
        assertThat(kept.get(this::read).await().indefinitely()).isEqualTo("read 1");
        assertThat(reads).hasValue(1);

        reloads.incrementAndGet(); // a write here, a rota event or the safety-net refresh

        assertThat(kept.get(this::read).await().indefinitely()).isEqualTo("read 2");
        assertThat(kept.get(this::read).await().indefinitely()).isEqualTo("read 2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aReadThatAReloadOverlappedIsAnsweredButNotKept() {
        // The write that the reload follows may have been committed after this read looked: it may lack the change.
        String overlapped = kept.get(() -> read().invoke(answer -> reloads.incrementAndGet())).await().indefinitely();
        assertThat(overlapped).isEqualTo("read 1");

        assertThat(kept.get(this::read).await().indefinitely()).isEqualTo("read 2");
        assertThat(kept.get(this::read).await().indefinitely()).isEqualTo("read 2");
        assertThat(reads).hasValue(2);
    }
}
