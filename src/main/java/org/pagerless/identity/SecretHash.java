package org.pagerless.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Secrets kept only as salted PBKDF2-HMAC-SHA256 hashes (the JDK's own), encoded with their parameters as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} so the cost can be raised later without breaking old hashes.
 * Used for hospital systems' secrets and for the codes that confirm a phone number.
 */
public final class SecretHash {
    /** For long-lived secrets of hospital systems (OWASP's floor for PBKDF2-HMAC-SHA256 is 600,000). */
    public static final int SECRET_ITERATIONS = 600_000;
    /** For six-digit codes that live ten minutes and allow five tries: the tries bound guessing, not the hash. */
    public static final int CODE_ITERATIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "pbkdf2-sha256";

    private SecretHash() {
    }

    public static String hash(String secret, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(secret, salt, iterations));
    }

    /** Whether {@code secret} is the one hashed in {@code encoded}; constant time in the comparison. */
    public static boolean matches(String secret, String encoded) {
        if (secret == null || encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(secret, b64.decode(parts[2]), Integer.parseInt(parts[1])));
    }

    /** A new random secret for a hospital system: 32 bytes, base64url (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new random code of {@code digits} decimal digits (leading zeros kept). */
    public static String newCode(int digits) {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            code.append(RANDOM.nextInt(10));
        }
        return code.toString();
    }

    /** SHA-256 of a secret: a key for remembering a recent successful check in memory, never stored. */
    static byte[] fingerprint(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }
}
