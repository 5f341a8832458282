package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pagerless.delivery.WebPushCrypto.base64Url;
import static org.pagerless.delivery.WebPushCrypto.fromBase64Url;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.pagerless.support.FakePushService;

class WebPushCryptoTest {
    // RFC 8291 §5 / Appendix A: the example's keys, salt and the exact message it must produce.
    static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    static final String MESSAGE = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInm"
            + "YWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void encryptionReproducesTheRfc8291ExampleByteForByte() {
        KeyPair as = WebPushCrypto.keyPair(fromBase64Url(AS_PUBLIC), fromBase64Url(AS_PRIVATE));
        // Twice: the second agreement uses the browser's point kept from the first, with its comb table.
        for (int i = 0; i < 2; i++) {
            byte[] message = WebPushCrypto.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), fromBase64Url(UA_PUBLIC),
                    fromBase64Url(AUTH), as, fromBase64Url(SALT));
            assertThat(base64Url(message)).isEqualTo(MESSAGE);
        }
    }

    @Test
    void theRfcExampleDecryptsWithTheUserAgentsKeyInTheTestPushService() {
        KeyPair ua = WebPushCrypto.keyPair(fromBase64Url(UA_PUBLIC), fromBase64Url(UA_PRIVATE));
        assertThat(new String(FakePushService.decrypt(fromBase64Url(MESSAGE), ua, fromBase64Url(AUTH)),
                StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }

    @Test
    void everyMessageHasAFreshKeyAndSaltAndOpensOnlyForItsSubscription() {
        KeyPair ua = WebPushCrypto.newKeyPair();
        byte[] auth = new byte[16];
        new java.security.SecureRandom().nextBytes(auth);
        byte[] uaPublic = WebPushCrypto.rawPublic((java.security.interfaces.ECPublicKey) ua.getPublic());
        byte[] one = WebPushCrypto.encrypt("{\"ref\":\"3F2A9C\"}".getBytes(StandardCharsets.UTF_8), uaPublic, auth);
        byte[] two = WebPushCrypto.encrypt("{\"ref\":\"3F2A9C\"}".getBytes(StandardCharsets.UTF_8), uaPublic, auth);
        assertThat(java.util.Arrays.copyOf(one, 16)).isNotEqualTo(java.util.Arrays.copyOf(two, 16));
        assertThat(new String(FakePushService.decrypt(one, ua, auth), StandardCharsets.UTF_8)).isEqualTo("{\"ref\":\"3F2A9C\"}");
        // The second was sealed with the browser's point kept from the first; the JDK's own ECDH opens it.
        assertThat(new String(FakePushService.decrypt(two, ua, auth), StandardCharsets.UTF_8)).isEqualTo("{\"ref\":\"3F2A9C\"}");
        byte[] otherAuth = auth.clone();
        otherAuth[0] ^= 1;
        assertThatThrownBy(() -> FakePushService.decrypt(one, ua, otherAuth)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void vapidTokenIsAnEs256JwtForTheEndpointOriginThatVerifiesWithTheAdvertisedKey() throws Exception {
        KeyPair vapid = WebPushCrypto.newKeyPair();
        String header = WebPushCrypto.vapidAuthorization("https://push.example.net", "mailto:ops@hospital.example",
                Instant.parse("2026-11-26T12:00:00Z"), vapid);
        assertThat(header).matches("vapid t=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+, k=[A-Za-z0-9_-]{87}");
        String jwt = header.substring("vapid t=".length(), header.indexOf(", k="));
        String[] parts = jwt.split("\\.");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).contains("\"alg\":\"ES256\"");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                .isEqualTo("{\"aud\":\"https://push.example.net\",\"exp\":1795694400,\"sub\":\"mailto:ops@hospital.example\"}");
        byte[] k = fromBase64Url(header.substring(header.indexOf(", k=") + 4));
        Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
        verify.initVerify(WebPushCrypto.publicKey(k));
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void aSubscriptionKeyThatIsNotAP256PointIsRefused() {
        byte[] notOnCurve = fromBase64Url(UA_PUBLIC);
        notOnCurve[64] ^= 1;
        assertThatThrownBy(() -> WebPushCrypto.publicKey(notOnCurve)).hasMessageContaining("not a point on the P-256 curve");
        assertThatThrownBy(() -> WebPushCrypto.publicKey(new byte[33])).hasMessageContaining("uncompressed P-256 point");
        // Sealing (BouncyCastle's arithmetic, ADR 0065) refuses them too, before any agreement.
        byte[] auth = fromBase64Url(AUTH);
        byte[] page = PLAINTEXT.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WebPushCrypto.encrypt(page, notOnCurve, auth))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a point on the P-256 curve");
        assertThatThrownBy(() -> WebPushCrypto.encrypt(page, new byte[33], auth))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uncompressed P-256 point");
    }
}
