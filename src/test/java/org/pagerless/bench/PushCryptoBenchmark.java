package org.pagerless.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;

import org.pagerless.delivery.WebPushCrypto;

/**
 * CPU time (this thread's, not the wall clock: meaningful on a shared machine) of what the dispatcher does per push
 * before the POST: encrypting the payload for a browser (RFC 8291: ephemeral P-256 key, ECDH, HKDF, AES-128-GCM) and
 * the VAPID token (RFC 8292: one ES256 signature), which is now signed once per push service an hour, not per push.
 * Also, for comparison, the two P-256 steps of a push done with the JDK's own provider (a fresh key pair, and an ECDH
 * agreement whose {@code doPhase} also checks the peer key's order: three scalar multiplications on JDK 17), which
 * sealing used before ADR 0065 moved them to BouncyCastle's lightweight API.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) org.pagerless.bench.PushCryptoBenchmark 5000</pre>
 */
public final class PushCryptoBenchmark {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        KeyPair browser = WebPushCrypto.newKeyPair();
        byte[] uaPublic = WebPushCrypto.rawPublic((ECPublicKey) browser.getPublic());
        byte[] auth = new byte[16];
        new SecureRandom().nextBytes(auth);
        KeyPair vapid = WebPushCrypto.newKeyPair();
        byte[] payload = ("{\"id\":\"8c1f0a52-0e4b-4c8e-9f7a-3a4f3c2b1d0e\",\"priority\":\"stat\",\"ref\":\"3F2A9C\","
                + "\"text\":\"STAT task, Ward 7B, ref 3F2A9C — open Pagerless\"}").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.max(500, rounds / 5); i++) { // warm-up (JIT)
            WebPushCrypto.encrypt(payload, uaPublic, auth);
            WebPushCrypto.vapidAuthorization("https://fcm.googleapis.com", "mailto:ops@example.org", Instant.now(), vapid);
        }
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            WebPushCrypto.encrypt(payload, uaPublic, auth);
        }
        long t1 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            WebPushCrypto.vapidAuthorization("https://fcm.googleapis.com", "mailto:ops@example.org", Instant.now(), vapid);
        }
        long t2 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < Math.max(500, rounds / 5); i++) {
            jdkKeyAndAgreement(browser);
        }
        long t3 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            jdkKeyAndAgreement(browser);
        }
        long t4 = threads.getCurrentThreadCpuTime();
        double encrypt = (t1 - t0) / 1e3 / rounds;
        double sign = (t2 - t1) / 1e3 / rounds;
        double jdk = (t4 - t3) / 1e3 / rounds;
        System.out.printf("%d rounds; CPU µs per push: encrypt %.1f, VAPID token %.1f; with a token signed per push %.1f, "
                + "now (token once an hour per push service) %.1f; the JDK provider's key pair + ECDH alone (sealing "
                + "before ADR 0065) %.1f; Java %s; load average %s%n", rounds, encrypt, sign, encrypt + sign, encrypt, jdk,
                System.getProperty("java.version"), AppProcess.loadAverage());
    }

    /** A fresh key pair and an ECDH agreement with the browser's key, with the JDK's provider. */
    private static byte[] jdkKeyAndAgreement(KeyPair browser) {
        try {
            javax.crypto.KeyAgreement ecdh = javax.crypto.KeyAgreement.getInstance("ECDH");
            ecdh.init(WebPushCrypto.newKeyPair().getPrivate());
            ecdh.doPhase(browser.getPublic(), true);
            return ecdh.generateSecret();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
