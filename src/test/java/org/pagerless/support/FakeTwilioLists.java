package org.pagerless.support;

import static org.pagerless.support.FakeTwilio.ACCOUNT_SID;
import static org.pagerless.support.TwilioWire.form;
import static org.pagerless.support.TwilioWire.json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * {@link FakeTwilioApi}'s list resources ({@code GET .../Messages.json} and {@code .../Calls.json}): every text and
 * call the API took, with its status as last reported, newest first, with Twilio's filters {@code To}, {@code From},
 * {@code DateSent}/{@code DateSent>}/{@code DateSent<} for messages, {@code StartTime}/{@code StartTime>}/{@code
 * StartTime<} and {@code Status} for calls, and its paging: {@code PageSize}, {@code Page}, {@code PageToken},
 * {@code next_page_uri}. Like Twilio, a message has no {@code date_sent} while it is queued (until a {@code sent} or
 * later status is reported for it) and a call no {@code start_time} until it is answered.
 */
final class FakeTwilioLists {
    private static final String BASE = "/2010-04-01/Accounts/" + ACCOUNT_SID;
    private static final java.time.format.DateTimeFormatter RFC_2822 = java.time.format.DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);

    /** Every text and call the API took, newest last, as its list shows them: status, date sent or start time. */
    private final List<Listed> listed = new CopyOnWriteArrayList<>();
    /** The same by sid, for status updates. */
    private final Map<String, Listed> listedBySid = new java.util.concurrent.ConcurrentHashMap<>();

    /** A message or call as Twilio's list resource shows it. */
    private static final class Listed {
        final String sid;
        final boolean call;
        final String to;
        final String from;
        final String body;
        final Instant created;
        volatile String status = "queued";
        volatile Instant sentOrStarted;

        Listed(String sid, boolean call, String to, String from, String body, Instant created) {
            this.sid = sid;
            this.call = call;
            this.to = to;
            this.from = from;
            this.body = body;
            this.created = created;
        }
    }

    /** A text, or a call when {@code call}, that the API took: listed from now on, {@code queued}. */
    void taken(String sid, boolean call, String to, String from, String body, Instant created) {
        Listed listing = new Listed(sid, call, to, from, body, created);
        listed.add(listing);
        listedBySid.put(sid, listing);
    }

    /** What the list shows from now on for {@code sid}; a text gets its date sent, a call its start time. */
    void reported(String sid, String status, boolean started) {
        Listed l = listedBySid.get(sid);
        if (l != null) {
            l.status = status;
            if (started && l.sentOrStarted == null) {
                l.sentOrStarted = Instant.now();
            }
        }
    }

    /**
     * The JSON body of one page of the list at {@code path} (calls when {@code callList}, else messages), for the
     * request's raw query string (null: none).
     */
    String page(String path, boolean callList, String raw) {
        // The SDK may repeat a parameter (PageSize from setPageSize and from limit): the first one counts.
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            q.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        String when = callList ? "StartTime" : "DateSent";
        List<Listed> matching = new java.util.ArrayList<>();
        for (int i = listed.size() - 1; i >= 0; i--) {
            Listed l = listed.get(i);
            if (l.call == callList && (q.get("To") == null || q.get("To").equals(l.to))
                    && (q.get("From") == null || q.get("From").equals(l.from))
                    && (q.get("Status") == null || q.get("Status").equals(l.status))
                    && within(l.sentOrStarted, q.get(when), q.get(when + ">"), q.get(when + "<"))) {
                matching.add(l);
            }
        }
        int size = Math.max(1, Math.min(1000, Integer.parseInt(q.getOrDefault("PageSize", "50"))));
        int page = Integer.parseInt(q.getOrDefault("Page", "0"));
        List<Listed> slice = matching.subList(Math.min(matching.size(), page * size),
                Math.min(matching.size(), (page + 1) * size));
        String resource = callList ? "calls" : "messages";
        Map<String, String> filters = new LinkedHashMap<>(q);
        filters.keySet().removeAll(List.of("Page", "PageToken", "PageSize"));
        String filterQuery = filters.isEmpty() ? "" : form(filters) + "&";
        String uri = path + "?" + filterQuery + "PageSize=" + size + "&Page=" + page;
        String next = (page + 1) * size < matching.size()
                ? "\"" + path + "?" + filterQuery + "PageSize=" + size + "&Page=" + (page + 1) + "&PageToken=PA"
                        + slice.get(slice.size() - 1).sid + "\"" : "null";
        String items = slice.stream().map(l -> callList ? """
                {"sid":"%s","account_sid":"%s","to":"%s","from":"%s","status":"%s","direction":"outbound-api",
                 "api_version":"2010-04-01","date_created":"%s","date_updated":"%s","start_time":%s,
                 "uri":"%s/Calls/%s.json"}""".formatted(l.sid, ACCOUNT_SID, l.to, l.from, l.status,
                RFC_2822.format(l.created), RFC_2822.format(l.created), date(l.sentOrStarted), BASE, l.sid) : """
                {"sid":"%s","account_sid":"%s","to":"%s","from":"%s","body":%s,"status":"%s",
                 "direction":"outbound-api","num_segments":"1","api_version":"2010-04-01","date_created":"%s",
                 "date_updated":"%s","date_sent":%s,"uri":"%s/Messages/%s.json"}""".formatted(l.sid, ACCOUNT_SID,
                l.to, l.from, json(l.body), l.status, RFC_2822.format(l.created), RFC_2822.format(l.created),
                date(l.sentOrStarted), BASE, l.sid)).collect(Collectors.joining(","));
        return """
                {"%s":[%s],"page":%d,"page_size":%d,"start":%d,"end":%d,"uri":"%s",
                 "first_page_uri":"%s","previous_page_uri":%s,"next_page_uri":%s}""".formatted(resource, items,
                page, size, page * size, page * size + Math.max(0, slice.size() - 1), uri,
                path + "?" + filterQuery + "PageSize=" + size + "&Page=0",
                page == 0 ? "null" : "\"" + path + "?" + filterQuery + "PageSize=" + size + "&Page=" + (page - 1)
                        + "\"", next);
    }

    private static String date(Instant at) {
        return at == null ? "null" : "\"" + RFC_2822.format(at) + "\"";
    }

    /**
     * Twilio's date filters: {@code X=day} (that UTC day), {@code X>=t} / {@code X<=t} (on or after / before; on the
     * wire the key is {@code X>} or {@code X<}), t a day or a UTC date-time. A record without the date matches none.
     */
    private static boolean within(Instant at, String on, String after, String before) {
        if (on == null && after == null && before == null) {
            return true;
        }
        if (at == null) {
            return false;
        }
        java.time.LocalDate day = at.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        if (on != null && !day.equals(java.time.LocalDate.parse(on.substring(0, 10)))) {
            return false;
        }
        if (after != null && (after.length() == 10 ? day.isBefore(java.time.LocalDate.parse(after))
                : at.isBefore(instant(after)))) {
            return false;
        }
        return before == null || (before.length() == 10 ? !day.isAfter(java.time.LocalDate.parse(before))
                : !at.isAfter(instant(before)));
    }

    private static Instant instant(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime.endsWith("Z") ? dateTime.substring(0, dateTime.length() - 1)
                : dateTime).toInstant(java.time.ZoneOffset.UTC);
    }
}
