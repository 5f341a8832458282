package org.pagerless.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which push endpoints a subscription may name: https, the push service's default port, no user info. */
class PushEndpointRuleTest {
    static final List<String> PRODUCTION = List.of("https://fcm.googleapis.com",
            "https://updates.push.services.mozilla.com", "https://web.push.apple.com", "https://*.push.apple.com",
            "https://*.notify.windows.com");

    static boolean allowed(String endpoint) {
        return WebPushSender.allowedEndpoint(URI.create(endpoint), PRODUCTION);
    }

    @Test
    void theKnownPushServicesOnTheirDefaultPortAreAllowed() {
        assertThat(allowed("https://fcm.googleapis.com/fcm/send/abc")).isTrue();
        assertThat(allowed("https://fcm.googleapis.com:443/fcm/send/abc")).isTrue();
        assertThat(allowed("https://api.push.apple.com/3/device/abc")).isTrue();
        assertThat(allowed("https://wns2-par02p.notify.windows.com/w/?token=abc")).isTrue();
    }

    @Test
    void anotherPortUserInfoPlainHttpOrALookalikeHostIsRefused() {
        assertThat(allowed("https://fcm.googleapis.com:81/fcm/send/abc")).isFalse();
        assertThat(allowed("https://user:pw@fcm.googleapis.com/fcm/send/abc")).isFalse();
        assertThat(allowed("https://fcm.googleapis.com@evil.example/x")).isFalse();
        assertThat(allowed("http://fcm.googleapis.com/fcm/send/abc")).isFalse();
        assertThat(allowed("https://push.apple.com.evil.example/x")).isFalse();
        assertThat(allowed("https://evilpush.apple.com/x")).isFalse();
    }

    @Test
    void anOriginNamingAPortAllowsThatPortOrAnyWithAStar() {
        assertThat(WebPushSender.allowedEndpoint(URI.create("http://127.0.0.1:4567/push/1"), List.of("http://127.0.0.1:*")))
                .isTrue();
        assertThat(WebPushSender.allowedEndpoint(URI.create("http://127.0.0.1:4567/push/1"), List.of("http://127.0.0.1:80")))
                .isFalse();
    }
}
