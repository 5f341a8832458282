package org.pagerless.conversation.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who has a message, said as a person would: "read by Dr Fiona Bell 14:02, delivered to 1, not yet by 2".
 * Every member it was posted to except its author counts; times are the hospital's.
 */
public final class Receipts {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** One member's receipt: when their app had the message, and when they read it (either may be null). */
    public record Receipt(String staffId, Instant deliveredAt, Instant readAt) {
    }

    private Receipts() {
    }

    public static String describe(String author, List<String> audience, Map<String, Receipt> receipts,
                                  Function<String, String> nameOf, ZoneId zone) {
        List<Receipt> read = new ArrayList<>();
        int delivered = 0;
        int notYet = 0;
        for (String member : audience) {
            if (member.equals(author)) {
                continue;
            }
            Receipt r = receipts.get(member);
            if (r != null && r.readAt() != null) {
                read.add(r);
            } else if (r != null && r.deliveredAt() != null) {
                delivered++;
            } else {
                notYet++;
            }
        }
        if (read.isEmpty() && delivered == 0 && notYet == 0) {
            return "sent";
        }
        List<String> parts = new ArrayList<>();
        read.sort(Comparator.comparing(Receipt::readAt));
        if (!read.isEmpty()) {
            List<String> who = read.stream()
                    .map(r -> nameOf.apply(r.staffId()) + " " + HH_MM.format(r.readAt().atZone(zone))).toList();
            parts.add("read by " + String.join(", ", who));
        }
        if (delivered > 0) {
            parts.add("delivered to " + delivered);
        }
        if (notYet > 0) {
            parts.add((read.isEmpty() && delivered == 0 ? "sent, not yet read by " : "not yet by ") + notYet);
        }
        return String.join(", ", parts);
    }
}
