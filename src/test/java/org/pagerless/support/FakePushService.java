package org.pagerless.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for a browser's push service (RFC 8030) and the browser behind it, for tests.
 * Each {@link #subscribe()} is one phone: an endpoint URL on this server plus a real P-256 key pair
 * and auth secret made here. Every push is checked as a push service checks it (a VAPID ES256 JWT
 * whose signature verifies with the advertised key, for this origin, not expired) and then decrypted
 * as the browser decrypts it, with code written here rather than the app's, so interoperability is
 * tested rather than assumed. A subscription can be told to answer 410 (gone) or any other status.
 */
public final class FakePushService implements AutoCloseable {

    /** One browser's subscription: what the app is told (endpoint, p256dh, auth) and the private key it is not. */
    public record Subscription(String id, String endpoint, String p256dh, String auth, KeyPair keys) {
        /** The body a browser's {@code PushSubscription.toJSON()} gives, as the app posts it. */
        public Map<String, Object> json() {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("endpoint", endpoint);
            body.put("expirationTime", null);
            body.put("keys", Map.of("p256dh", p256dh, "auth", auth));
            return body;
        }
    }

    /** A push as the phone got it: the decrypted payload and the headers that came with it. */
    public record Push(String subscriptionId, String payload, String ttl, String urgency, String topic, Instant at) {
    }

    private final HttpServer server;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final List<Push> received = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.CountDownLatch> stalls = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger stalled = new java.util.concurrent.atomic.AtomicInteger();
    /** VAPID tokens whose signature verified, with the key that signed them: a token reused is checked once (aud, exp each time). */
    private final Map<String, String> verified = new ConcurrentHashMap<>();
    /** Pushes taken while decryption is deferred ({@link #deferDecryption}): opened by {@link #received()}. */
    private final java.util.Queue<Sealed> sealed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean deferDecryption;

    /** A push taken but not opened yet: what the phone got, still encrypted. */
    private record Sealed(String subscriptionId, byte[] body, String ttl, String urgency, String topic, Instant at) {
    }
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-push-service");
        t.setDaemon(true);
        return t;
    });

    public FakePushService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/push/", this::push);
        server.setExecutor(executor);
        server.start();
    }

    /** From now on requests to this subscription are held unanswered until {@link #release} (a stalled push service). */
    public void stall(Subscription s) {
        stalls.put(s.id(), new java.util.concurrent.CountDownLatch(1));
    }

    /** Lets the held requests of this subscription go (they are then answered as usual) and stops stalling it. */
    public void release(Subscription s) {
        java.util.concurrent.CountDownLatch latch = stalls.remove(s.id());
        if (latch != null) {
            latch.countDown();
        }
    }

    /** How many requests are being held by a stall right now. */
    public int stalledNow() {
        return stalled.get();
    }

    /** The origin the VAPID token's {@code aud} must name. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A new phone subscribing: fresh keys and auth secret, an endpoint on this service. */
    public Subscription subscribe() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] auth = new byte[16];
            new SecureRandom().nextBytes(auth);
            String id = UUID.randomUUID().toString();
            Subscription s = new Subscription(id, origin() + "/push/" + id, b64(uncompressed((ECPublicKey) keys.getPublic())),
                    b64(auth), keys);
            subscriptions.put(id, s);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From now on this subscription answers {@code status} (410: the browser unsubscribed; 503: the service is down). */
    public void answer(Subscription s, int status) {
        answers.put(s.id(), status);
    }

    /** Answers normally again (201) from now on. */
    public void heal(Subscription s) {
        answers.remove(s.id());
    }

    /** How many requests reached this subscription's endpoint, whatever the answer. */
    public int hits(Subscription s) {
        java.util.concurrent.atomic.AtomicInteger n = hits.get(s.id());
        return n == null ? 0 : n.get();
    }

    /** Every push this subscription received and could decrypt, oldest first. */
    public List<Push> pushesTo(Subscription s) {
        openSealed();
        return received.stream().filter(p -> p.subscriptionId().equals(s.id())).toList();
    }

    /** Every push whose payload names one of these deliveries (a push names the delivery it is), oldest first. */
    public List<Push> pushesFor(java.util.Collection<String> deliveryIds) {
        openSealed();
        return received.stream().filter(p -> deliveryIds.stream().anyMatch(id -> p.payload().contains(id))).toList();
    }

    /** Every push any subscription received during the run (opening any whose decryption was deferred first). */
    public List<Push> received() {
        openSealed();
        return List.copyOf(received);
    }

    /**
     * From now on a push is taken (201) once its VAPID token and headers check out, and decrypted only when
     * {@link #received()} is next asked — for a benchmark driving hundreds of pushes a second on the same machine as
     * the application, so the fake's decryption (an ECDH per push) happens after the measured window rather than
     * competing with the app for the cores. A push that then fails to decrypt is listed in {@link #refused()}.
     */
    public void deferDecryption() {
        deferDecryption = true;
    }

    /** How many pushes were taken (answered 201) so far, opened or not. */
    public int taken() {
        return taken.get();
    }

    private synchronized void openSealed() {
        List<Push> opened = new java.util.ArrayList<>();
        for (Sealed p = sealed.poll(); p != null; p = sealed.poll()) {
            Subscription s = subscriptions.get(p.subscriptionId());
            try {
                opened.add(new Push(p.subscriptionId(), new String(decrypt(p.body(), s.keys(),
                        Base64.getUrlDecoder().decode(s.auth())), StandardCharsets.UTF_8), p.ttl(), p.urgency(), p.topic(), p.at()));
            } catch (RuntimeException e) {
                refused.add("cannot decrypt: " + e.getMessage());
            }
        }
        received.addAll(opened);
    }

    /** Why pushes were refused (bad VAPID token, undecryptable body...); a correct app causes none. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/push/".length());
            Subscription s = subscriptions.get(id);
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (s == null || !"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            hits.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            java.util.concurrent.CountDownLatch stall = stalls.get(id);
            if (stall != null) {
                stalled.incrementAndGet();
                try {
                    stall.await(2, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    stalled.decrementAndGet();
                }
            }
            Integer answer = answers.get(id);
            if (answer != null) {
                exchange.sendResponseHeaders(answer, -1);
                return;
            }
            String problem = checkVapid(exchange.getRequestHeaders().getFirst("Authorization"));
            if (problem == null && !"aes128gcm".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                problem = "Content-Encoding is not aes128gcm";
            }
            String ttl = exchange.getRequestHeaders().getFirst("TTL");
            if (problem == null && (ttl == null || !ttl.matches("[0-9]+"))) {
                problem = "no TTL";
            }
            if (problem == null && deferDecryption) {
                sealed.add(new Sealed(id, body, ttl, exchange.getRequestHeaders().getFirst("Urgency"),
                        exchange.getRequestHeaders().getFirst("Topic"), Instant.now()));
                taken.incrementAndGet();
                exchange.getResponseHeaders().add("Location", origin() + "/message/" + UUID.randomUUID());
                exchange.sendResponseHeaders(201, -1);
                return;
            }
            String payload = null;
            if (problem == null) {
                try {
                    payload = new String(decrypt(body, s.keys(), Base64.getUrlDecoder().decode(s.auth())), StandardCharsets.UTF_8);
                } catch (RuntimeException e) {
                    problem = "cannot decrypt: " + e.getMessage();
                }
            }
            if (problem != null) {
                refused.add(problem);
                exchange.sendResponseHeaders(problem.startsWith("VAPID") ? 403 : 400, -1);
                return;
            }
            received.add(new Push(id, payload, ttl, exchange.getRequestHeaders().getFirst("Urgency"),
                    exchange.getRequestHeaders().getFirst("Topic"), Instant.now()));
            taken.incrementAndGet();
            exchange.getResponseHeaders().add("Location", origin() + "/message/" + UUID.randomUUID());
            exchange.sendResponseHeaders(201, -1);
        }
    }

    /** RFC 8292: {@code vapid t=<jwt>, k=<key>}; the JWT is ES256, signed by k, for this origin, expiring within 24 h. */
    private String checkVapid(String authorization) {
        if (authorization == null || !authorization.startsWith("vapid ")) {
            return "VAPID: no vapid Authorization";
        }
        String t = null;
        String k = null;
        for (String part : authorization.substring(6).split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("k")) {
                k = kv[1];
            }
        }
        if (t == null || k == null) {
            return "VAPID: t or k missing";
        }
        String[] jwt = t.split("\\.");
        if (jwt.length != 3) {
            return "VAPID: not a JWT";
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8);
            String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
            if (!header.replace(" ", "").contains("\"alg\":\"ES256\"")) {
                return "VAPID: alg is not ES256";
            }
            if (!claims.replace(" ", "").contains("\"aud\":\"" + origin() + "\"")) {
                return "VAPID: aud is not " + origin();
            }
            if (!claims.contains("\"sub\":\"mailto:") && !claims.contains("\"sub\":\"https:")) {
                return "VAPID: sub is not a mailto: or https: contact";
            }
            java.util.regex.Matcher exp = java.util.regex.Pattern.compile("\"exp\":\\s*([0-9]+)").matcher(claims);
            long now = Instant.now().getEpochSecond();
            if (!exp.find() || Long.parseLong(exp.group(1)) <= now || Long.parseLong(exp.group(1)) > now + 24 * 3600) {
                return "VAPID: exp missing, past, or more than 24 h ahead";
            }
            if (k.equals(verified.get(t))) {
                return null; // this token, with this key, verified before (aud and exp checked again above)
            }
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initVerify(publicKey(Base64.getUrlDecoder().decode(k)));
            es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!es256.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                return "VAPID: bad signature";
            }
            verified.put(t, k);
            return null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "VAPID: " + e.getMessage();
        }
    }

    /**
     * The browser's side of RFC 8291 ({@code aes128gcm}, RFC 8188): read the header's salt, record
     * size and sender key, derive the key and nonce with the subscription's private key and auth
     * secret, open every record and strip its padding. Throws {@link IllegalStateException} if it does not open.
     */
    public static byte[] decrypt(byte[] message, KeyPair ua, byte[] auth) {
        try {
            ByteBuffer in = ByteBuffer.wrap(message);
            byte[] salt = new byte[16];
            in.get(salt);
            int rs = in.getInt();
            byte[] asPublic = new byte[in.get() & 0xff];
            in.get(asPublic);
            byte[] ciphertext = new byte[in.remaining()];
            in.get(ciphertext);

            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
            ecdh.init(ua.getPrivate());
            ecdh.doPhase(publicKey(asPublic), true);
            byte[] uaPublic = uncompressed((ECPublicKey) ua.getPublic());
            byte[] ikm = hkdf(auth, ecdh.generateSecret(),
                    concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic), 32);
            byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
            byte[] baseNonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int offset = 0, seq = 0; offset < ciphertext.length; offset += rs, seq++) {
                byte[] nonce = baseNonce.clone();
                for (int i = 0; i < 8; i++) {
                    nonce[11 - i] ^= (byte) ((long) seq >>> (8 * i));
                }
                Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
                aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
                byte[] record = aes.doFinal(Arrays.copyOfRange(ciphertext, offset, Math.min(ciphertext.length, offset + rs)));
                int end = record.length - 1;
                while (end >= 0 && record[end] == 0) {
                    end--;
                }
                boolean last = offset + rs >= ciphertext.length;
                if (end < 0 || record[end] != (last ? 2 : 1)) {
                    throw new IllegalStateException("bad padding delimiter");
                }
                out.write(record, 0, end);
            }
            return out.toByteArray();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        return Arrays.copyOf(mac.doFinal(concat(info, new byte[] {1})), length);
    }

    private static ECPublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        java.security.AlgorithmParameters params = java.security.AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        java.security.spec.ECParameterSpec spec = params.getParameterSpec(java.security.spec.ECParameterSpec.class);
        java.security.spec.ECPoint point = new java.security.spec.ECPoint(
                new java.math.BigInteger(1, Arrays.copyOfRange(raw, 1, 33)),
                new java.math.BigInteger(1, Arrays.copyOfRange(raw, 33, 65)));
        return (ECPublicKey) java.security.KeyFactory.getInstance("EC")
                .generatePublic(new java.security.spec.ECPublicKeySpec(point, spec));
    }

    private static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        byte[] x = key.getW().getAffineX().toByteArray();
        byte[] y = key.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), out, 1 + 32 - Math.min(32, x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), out, 33 + 32 - Math.min(32, y.length), Math.min(32, y.length));
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        stalls.values().forEach(java.util.concurrent.CountDownLatch::countDown);
        server.stop(0);
        executor.shutdownNow();
    }
}
