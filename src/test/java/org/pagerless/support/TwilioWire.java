package org.pagerless.support;

import static org.pagerless.support.FakeTwilio.ACCOUNT_SID;
import static org.pagerless.support.FakeTwilio.FROM;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.pagerless.support.FakeTwilio.Call;
import org.pagerless.support.FakeTwilio.Heard;
import org.pagerless.support.FakeTwilio.Sms;

/**
 * Twilio's wire format, for {@link FakeTwilio}: the webhook parameters Twilio posts (status callbacks, an answered
 * call, a key press, an inbound text), its request signature, form encoding and decoding, JSON strings, and reading
 * the TwiML the app answers with. Its own code, not the SDK's, so the app's check is tested against an independent
 * implementation.
 */
final class TwilioWire {
    private TwilioWire() {
    }

    /** Twilio's signature: Base64(HMAC-SHA1(token, url + each param name+value, sorted by name)). */
    static String signature(String url, Map<String, String> params, String token) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parameters Twilio posts with a status callback for this text. */
    static Map<String, String> statusParams(Sms sms, String status) {
        if (sms.statusCallback() == null) {
            throw new AssertionError("the app did not ask for status callbacks");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sms.sid());
        params.put("SmsSid", sms.sid());
        params.put("AccountSid", ACCOUNT_SID);
        params.put("From", sms.from());
        params.put("To", sms.to());
        params.put("MessageStatus", status);
        params.put("SmsStatus", status);
        if (status.equals("failed") || status.equals("undelivered")) {
            params.put("ErrorCode", "30003");
        }
        return params;
    }

    /** The parameters Twilio posts with a status callback for this call. */
    static Map<String, String> statusParams(Call call, String status) {
        if (call.statusCallback() == null) {
            throw new AssertionError("the app did not ask for call status callbacks");
        }
        Map<String, String> params = callParams(call, status);
        params.put("CallbackSource", "call-progress-events");
        if (status.equals("failed")) {
            params.put("ErrorCode", "31005");
        }
        return params;
    }

    /** The parameters Twilio posts when this call is answered, to fetch what it says. */
    static Map<String, String> answerParams(Call call) {
        return callParams(call, "in-progress");
    }

    /** The parameters Twilio posts when {@code digits} are pressed during this call. */
    static Map<String, String> pressParams(Call call, String digits) {
        Map<String, String> params = callParams(call, "in-progress");
        params.put("Digits", digits);
        params.put("FinishedOnKey", "");
        return params;
    }

    /** The parameters Twilio posts when {@code phone} texts {@code body} to us. */
    static Map<String, String> inboundParams(String phone, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + hex());
        params.put("SmsSid", params.get("MessageSid"));
        params.put("AccountSid", ACCOUNT_SID);
        params.put("From", phone);
        params.put("To", FROM);
        params.put("Body", body);
        params.put("NumMedia", "0");
        return params;
    }

    /** The parameters every request about this call carries, with the call's status. */
    static Map<String, String> callParams(Call call, String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", call.sid());
        params.put("AccountSid", ACCOUNT_SID);
        params.put("From", call.from());
        params.put("To", call.to());
        params.put("CallStatus", status);
        params.put("Direction", "outbound-api");
        params.put("ApiVersion", "2010-04-01");
        return params;
    }

    /** Reads TwiML as a phone would play it: every Say in document order, the first Gather's action. */
    static Heard twiml(String xml) {
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            org.w3c.dom.Document doc = factory.newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            List<String> said = new java.util.ArrayList<>();
            org.w3c.dom.NodeList says = doc.getElementsByTagName("Say");
            for (int i = 0; i < says.getLength(); i++) {
                said.add(says.item(i).getTextContent().trim());
            }
            org.w3c.dom.NodeList gathers = doc.getElementsByTagName("Gather");
            String action = null;
            if (gathers.getLength() > 0) {
                org.w3c.dom.Element gather = (org.w3c.dom.Element) gathers.item(0);
                if (!"1".equals(gather.getAttribute("numDigits"))) {
                    throw new AssertionError("a page call gathers one key: " + xml);
                }
                action = gather.getAttribute("action");
            }
            return new Heard(xml, said, action, gathers.getLength(), doc.getElementsByTagName("Hangup").getLength() > 0);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException | IOException e) {
            throw new AssertionError("not TwiML: " + xml, e);
        }
    }

    /** The text of the TwiML answer to an inbound text: its {@code <Message>}, unescaped. */
    static String twimlMessage(String xml) {
        Matcher m = Pattern.compile("<Body>(.*?)</Body>|<Message>([^<]*)</Message>", Pattern.DOTALL).matcher(xml);
        if (!m.find()) {
            throw new AssertionError("no <Message> in the TwiML answer: " + xml);
        }
        String text = m.group(1) != null ? m.group(1) : m.group(2);
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    /** A form body (or query string) as Twilio posts one: each name=value URL-encoded, joined by {@code &}. */
    static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** Reads a posted form; a repeated parameter (StatusCallbackEvent) keeps every value, space separated. */
    static Map<String, String> parse(InputStream body) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                form.merge(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "", (a, b) -> a + " " + b);
            }
        }
        return form;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A JSON string literal (or {@code null}), as in Twilio's REST answers. */
    static String json(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** 32 random hex digits: the tail of a new sid. */
    static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
