package org.pagerless.conversation;

import java.util.Optional;
import java.util.UUID;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Photos in the {@code conversation_photo} table (V81), beside the messages that show them. A database failure leaves
 * as {@link Jdbc}'s {@link IllegalStateException} with the {@code SQLException} as its cause.
 */
@ApplicationScoped
public class PostgresPhotoStorage implements PhotoStorage {
    @Inject
    Jdbc jdbc;

    @Override
    public void put(StoredPhoto p, byte[] bytes) {
        jdbc.update("insert into conversation_photo (id, conversation_id, uploaded_by, uploaded_at, content_type, width,"
                + " height, bytes) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing", p.id(),
                p.conversationId(), p.uploadedBy(), p.uploadedAt(), p.contentType(), p.width(), p.height(), bytes);
    }

    @Override
    public Optional<StoredPhoto> about(UUID id) {
        return jdbc.queryOne("select id, conversation_id, uploaded_by, uploaded_at, content_type, width, height from "
                + "conversation_photo where id = ?", rs -> new StoredPhoto(rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class), rs.getString(3), Jdbc.instant(rs, 4), rs.getString(5),
                        rs.getInt(6), rs.getInt(7)), id);
    }

    @Override
    public Optional<byte[]> bytes(UUID id) {
        return jdbc.queryOne("select bytes from conversation_photo where id = ?", rs -> rs.getBytes(1), id);
    }
}
