package org.pagerless.conversation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Photos in the {@code conversation_photo} table (V81), beside the messages that show them. */
@ApplicationScoped
public class PostgresPhotoStorage implements PhotoStorage {
    @Inject
    DataSource dataSource;

    @Override
    public void put(StoredPhoto p, byte[] bytes) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into "
                + "conversation_photo (id, conversation_id, uploaded_by, uploaded_at, content_type, width, height, bytes)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing")) {
            ps.setObject(1, p.id());
            ps.setObject(2, p.conversationId());
            ps.setString(3, p.uploadedBy());
            ps.setTimestamp(4, Timestamp.from(p.uploadedAt()));
            ps.setString(5, p.contentType());
            ps.setInt(6, p.width());
            ps.setInt(7, p.height());
            ps.setBytes(8, bytes);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("photo not stored", e);
        }
    }

    @Override
    public Optional<StoredPhoto> about(UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select id, "
                + "conversation_id, uploaded_by, uploaded_at, content_type, width, height from conversation_photo where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredPhoto(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getInt(6), rs.getInt(7)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("photo not read", e);
        }
    }

    @Override
    public Optional<byte[]> bytes(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select bytes from conversation_photo where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("photo not read", e);
        }
    }
}
