package org.pagerless.delivery;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Web Push wire cryptography: message encryption (RFC 8291 over the RFC 8188 {@code aes128gcm} content coding, one
 * record) and the VAPID authorisation (RFC 8292, an ES256 JWT). Pure: keys, salt and time are parameters, so it is
 * tested against the RFC's vector (the one state it keeps is a memo of browsers' decoded points). The JDK's providers
 * do HKDF, AES-GCM, the VAPID signature and key checks; the two P-256 scalar multiplications of every push — the fresh
 * ephemeral key and the ECDH agreement — are BouncyCastle's lightweight API (its fixed-point comb for both: on the
 * generator, and on the browser's point kept from its last push; no provider registered), a tenth to a quarter of the
 * JDK 17 provider's CPU, which also checks the peer key's order with a third multiplication on every agreement (ADR
 * 0065).
 */
public final class WebPushCrypto {
    /** Record size written in the header; a page payload is far smaller, so there is one record. */
    static final int RECORD_SIZE = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    private static final ECParameterSpec P256 = p256();

    private WebPushCrypto() {
    }

    /** Encrypts {@code plaintext} for a subscription with a fresh ephemeral key and salt (never reuse either). */
    public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        org.bouncycastle.crypto.AsymmetricCipherKeyPair ephemeral = Ephemeral.generate();
        return seal(plaintext, uaPublic, authSecret,
                ((org.bouncycastle.crypto.params.ECPrivateKeyParameters) ephemeral.getPrivate()).getD(),
                ((org.bouncycastle.crypto.params.ECPublicKeyParameters) ephemeral.getPublic()).getQ().getEncoded(false), salt);
    }

    /**
     * RFC 8291 §3.4 with the application server's key pair and salt given (the RFC's example fixes
     * both): {@code salt(16) ‖ rs(4) ‖ idlen(1) ‖ as_public(65) ‖ AES-128-GCM(plaintext ‖ 0x02)}.
     */
    public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, KeyPair asKeys, byte[] salt) {
        return seal(plaintext, uaPublic, authSecret, ((ECPrivateKey) asKeys.getPrivate()).getS(),
                rawPublic((ECPublicKey) asKeys.getPublic()), salt);
    }

    /** P-256 with BouncyCastle's custom curve (fast field arithmetic) and a key generator on it; built on first use. */
    private static final class Ephemeral {
        static final org.bouncycastle.crypto.params.ECDomainParameters DOMAIN = domain();

        private static org.bouncycastle.crypto.params.ECDomainParameters domain() {
            org.bouncycastle.asn1.x9.X9ECParameters x9 = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1");
            return new org.bouncycastle.crypto.params.ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(),
                    x9.getSeed());
        }

        static org.bouncycastle.crypto.AsymmetricCipherKeyPair generate() {
            org.bouncycastle.crypto.generators.ECKeyPairGenerator generator =
                    new org.bouncycastle.crypto.generators.ECKeyPairGenerator();
            generator.init(new org.bouncycastle.crypto.params.ECKeyGenerationParameters(DOMAIN, RANDOM));
            return generator.generateKeyPair();
        }

        /**
         * Browsers' points lately pushed to, each with its comb table (BouncyCastle keeps it on the point object): a
         * person's next push multiplies by their point in ~60 µs of CPU instead of ~145 (the table costs ~200 µs once).
         * Public keys only; least recently used out past {@link #POINTS_KEPT} (~5 KB each).
         */
        private static final int POINTS_KEPT = 1024;
        private static final java.util.Map<java.nio.ByteBuffer, org.bouncycastle.math.ec.ECPoint> POINTS =
                new java.util.LinkedHashMap<>(64, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(
                            java.util.Map.Entry<java.nio.ByteBuffer, org.bouncycastle.math.ec.ECPoint> eldest) {
                        return size() > POINTS_KEPT;
                    }
                };

        /**
         * The ECDH shared secret (the x coordinate, 32 bytes) of our scalar and the browser's point, checked on the curve:
         * {@code as_private · ua_public} by the fixed-point comb on the browser's point, as ECDH's definition (RFC 8291
         * §3.1) with BouncyCastle's agreement would compute it by another method.
         */
        static byte[] agree(BigInteger asPrivate, byte[] uaPublic) {
            org.bouncycastle.math.ec.ECPoint shared = new org.bouncycastle.math.ec.FixedPointCombMultiplier()
                    .multiply(point(uaPublic), asPrivate).normalize();
            if (shared.isInfinity()) {
                throw new IllegalArgumentException("gives no shared secret with this P-256 point");
            }
            return shared.getAffineXCoord().getEncoded();
        }

        /** The browser's point, decoded and checked once, then kept (with its comb table) while pushes go to it. */
        private static org.bouncycastle.math.ec.ECPoint point(byte[] uaPublic) {
            if (uaPublic == null || uaPublic.length != 65 || uaPublic[0] != 4) {
                throw new IllegalArgumentException("must be an uncompressed P-256 point (65 bytes, starting 0x04)");
            }
            synchronized (POINTS) {
                org.bouncycastle.math.ec.ECPoint kept = POINTS.get(java.nio.ByteBuffer.wrap(uaPublic));
                if (kept != null) {
                    return kept;
                }
            }
            org.bouncycastle.math.ec.ECPoint point;
            try {
                point = DOMAIN.getCurve().decodePoint(uaPublic); // checks the point is on the curve (cofactor 1: enough)
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("is not a point on the P-256 curve", e);
            }
            synchronized (POINTS) {
                POINTS.putIfAbsent(java.nio.ByteBuffer.wrap(uaPublic.clone()), point); // a copy the caller cannot change
            }
            return point;
        }
    }

    /** Makes the P-256 tables now (a few ms, once), so the first push after start does not. */
    public static void warmUp() {
        Ephemeral.generate();
    }

    private static byte[] seal(byte[] plaintext, byte[] uaPublic, byte[] authSecret, BigInteger asPrivate, byte[] asPublic,
                               byte[] salt) {
        try {
            byte[] ecdhSecret = Ephemeral.agree(asPrivate, uaPublic);

            byte[] prkKey = hmac(authSecret, ecdhSecret);
            byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
            byte[] ikm = expand(prkKey, keyInfo, 32);
            byte[] prk = hmac(salt, ikm);
            byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
            byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            // 0x02: the padding delimiter of the last (only) record.
            byte[] ciphertext = aes.doFinal(concat(plaintext, new byte[] {2}));

            ByteBuffer header = ByteBuffer.allocate(16 + 4 + 1 + asPublic.length);
            header.put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic);
            return concat(header.array(), ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encrypt for this subscription: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code Authorization} header value for a push to {@code audience} (the endpoint's origin):
     * {@code vapid t=<ES256 JWT>, k=<public key>}; {@code expires} must be within 24 h of the push service's clock.
     */
    public static String vapidAuthorization(String audience, String subject, Instant expires, KeyPair vapidKeys) {
        try {
            String header = B64URL.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
            String claims = B64URL.encodeToString(("{\"aud\":\"" + json(audience) + "\",\"exp\":" + expires.getEpochSecond()
                    + ",\"sub\":\"" + json(subject) + "\"}").getBytes(StandardCharsets.UTF_8));
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initSign(vapidKeys.getPrivate());
            es256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            String jwt = header + "." + claims + "." + B64URL.encodeToString(es256.sign());
            return "vapid t=" + jwt + ", k=" + base64Url(rawPublic((ECPublicKey) vapidKeys.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the VAPID token", e);
        }
    }

    /** A fresh P-256 key pair. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair from its raw forms: the 65-byte uncompressed public point and the 32-byte private scalar. */
    public static KeyPair keyPair(byte[] rawPublic, byte[] rawPrivate) {
        try {
            ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, rawPrivate), P256));
            return new KeyPair(publicKey(rawPublic), privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 private key", e);
        }
    }

    /** A P-256 public key from its uncompressed form {@code 0x04 ‖ x(32) ‖ y(32)}; refuses anything else. */
    public static ECPublicKey publicKey(byte[] raw) {
        if (raw == null || raw.length != 65 || raw[0] != 4) {
            throw new IllegalArgumentException("must be an uncompressed P-256 point (65 bytes, starting 0x04)");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(raw, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(raw, 33, 65));
        if (!onCurve(x, y)) {
            throw new IllegalArgumentException("is not a point on the P-256 curve");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 public key", e);
        }
    }

    /** The uncompressed form of a P-256 public key. */
    public static byte[] rawPublic(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        unsigned(key.getW().getAffineX(), out, 1);
        unsigned(key.getW().getAffineY(), out, 33);
        return out;
    }

    /** The 32-byte private scalar of a P-256 key. */
    public static byte[] rawPrivate(ECPrivateKey key) {
        byte[] out = new byte[32];
        unsigned(key.getS(), out, 0);
        return out;
    }

    public static String base64Url(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    /** Decodes base64url with or without padding (browsers send it without); throws on anything else. */
    public static byte[] fromBase64Url(String text) {
        return B64URL_DECODER.decode(text.trim().replace("=", ""));
    }

    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.modPow(BigInteger.TWO, p);
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    private static void unsigned(BigInteger value, byte[] into, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 32 ? bytes.length - 32 : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, into, offset + 32 - length, length);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** HKDF-Expand (RFC 5869) for outputs of one block (at most 32 bytes), which is all Web Push needs. */
    private static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256", e);
        }
    }
}
