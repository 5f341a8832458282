package org.pagerless.identity;

import java.security.MessageDigest;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.pagerless.platform.Jdbc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Hospital systems' credentials and scopes (table {@code integration_system}): the PBKDF2 hash of each system's
 * secret, when it was set or revoked, and the wards whose tasks it may see besides those it raised. Secrets are
 * made here (random, 256 bits), shown once and never stored. A successful check is remembered in memory by the
 * secret's SHA-256 until the secret changes, so a busy system pays for PBKDF2 once, not on every page.
 */
@ApplicationScoped
public class IntegrationSystems {
    @Inject
    Jdbc jdbc;

    /** A system's row; {@code secretHash} null when it has none (never set, or revoked). */
    public record Account(String id, String secretHash, Instant secretSetAt, Instant revokedAt, List<String> wards) {
    }

    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    public Optional<Account> account(String id) {
        return jdbc.queryOne("select id, secret_hash, secret_set_at, revoked_at, wards from integration_system"
                + " where id = ?", IntegrationSystems::account, id);
    }

    public List<Account> all() {
        return jdbc.query("select id, secret_hash, secret_set_at, revoked_at, wards from integration_system order by id",
                IntegrationSystems::account);
    }

    /** The wards whose tasks this system may see besides those it raised; empty for none (or no row). */
    public Set<String> wards(String id) {
        return account(id).map(a -> Set.copyOf(a.wards())).orElse(Set.of());
    }

    /** Whether {@code secret} is the system's current secret (false when it has none). */
    public boolean matches(Account account, String secret) {
        if (account.secretHash() == null || secret == null) {
            return false;
        }
        byte[] fingerprint = SecretHash.fingerprint(account.id() + "\u0000" + account.secretHash() + "\u0000" + secret);
        byte[] known = verified.get(account.id());
        if (known != null && MessageDigest.isEqual(known, fingerprint)) {
            return true;
        }
        if (!SecretHash.matches(secret, account.secretHash())) {
            return false;
        }
        verified.put(account.id(), fingerprint);
        return true;
    }

    /** A new secret for the system (made or rotated): the old one stops working at once. Returns it, once. */
    public String issueSecret(String id, Instant now) {
        String secret = SecretHash.newSecret();
        setSecret(id, secret, now);
        return secret;
    }

    /** Sets the system's secret to {@code secret} (the demo seed's known one, or a new random one). */
    void setSecret(String id, String secret, Instant now) {
        update("insert into integration_system (id, secret_hash, secret_set_at, revoked_at, updated_at) "
                + "values (?, ?, ?, null, ?) on conflict (id) do update set secret_hash = excluded.secret_hash, "
                + "secret_set_at = excluded.secret_set_at, revoked_at = null, updated_at = excluded.updated_at",
                id, SecretHash.hash(secret, SecretHash.SECRET_ITERATIONS), now, now);
        verified.remove(id);
    }

    /** Revokes the system's secret: it signs in no more until a new one is issued. */
    public void revoke(String id, Instant now) {
        update("insert into integration_system (id, secret_hash, revoked_at, updated_at) values (?, null, ?, ?) "
                + "on conflict (id) do update set secret_hash = null, revoked_at = excluded.revoked_at, "
                + "updated_at = excluded.updated_at", id, now, now);
        verified.remove(id);
    }

    /** Sets the wards whose tasks the system may see besides those it raised (empty: only its own). */
    public void setWards(String id, List<String> wards, Instant now) {
        jdbc.transaction(c -> {
            Jdbc.update(c, "insert into integration_system (id, wards, updated_at) values (?, ?, ?)"
                    + " on conflict (id) do update set wards = excluded.wards, updated_at = excluded.updated_at",
                    id, c.createArrayOf("text", wards.toArray()), now);
        });
    }

    private void update(String sql, Object... args) {
        jdbc.update(sql, args);
    }

    private static Account account(ResultSet rs) throws SQLException {
        Array wards = rs.getArray(5);
        return new Account(rs.getString(1), rs.getString(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4),
                wards == null ? List.of() : List.of((String[]) wards.getArray()));
    }
}
