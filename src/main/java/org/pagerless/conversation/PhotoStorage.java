package org.pagerless.conversation;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Where conversation photos are kept: PostgreSQL today ({@link PostgresPhotoStorage}); an object store can take its
 * place behind this interface. It is given only re-encoded images ({@link PhotoEncoder}): no EXIF, no location.
 */
public interface PhotoStorage {

    /** What is known about a stored photo, without its bytes. */
    record StoredPhoto(UUID id, UUID conversationId, String uploadedBy, Instant uploadedAt, String contentType,
                       int width, int height) {
    }

    /** Keeps a photo; one with the same id is kept as it was. */
    void put(StoredPhoto photo, byte[] bytes);

    Optional<StoredPhoto> about(UUID id);

    /** The photo's bytes, as {@link StoredPhoto#contentType()}. */
    Optional<byte[]> bytes(UUID id);
}
