package org.pagerless.delivery.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The SMS rate limit per phone number, with bundling (GoAlert's "one message per number per window,
 * the rest bundled"). Given the texts due now and when each number was last texted, decides what goes
 * now, what is bundled into one text, and what waits for the window to end. A {@code stat} page is
 * never held and never bundled: it goes at once, alone, whatever the limit (and it starts the window
 * for the others). Nothing is dropped: a held text stays in the outbox with a later due time.
 */
public final class SmsThrottle {
    /** The most pages one bundled text lists; any more wait for the next window (a text stays readable). */
    public static final int MAX_BUNDLE = 6;

    private final Duration window;

    public SmsThrottle(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the SMS window cannot be negative");
        }
        this.window = window;
    }

    /** One page due to go by text to {@code phone}. */
    public record Due(UUID id, String phone, String priority, Instant dueAt) {
        boolean stat() {
            return "stat".equals(priority);
        }
    }

    /** One text to send now: one page, or several bundled (listed in due order). */
    public record Text(String phone, List<Due> pages) {
        public Text {
            pages = List.copyOf(pages);
        }

        public boolean bundled() {
            return pages.size() > 1;
        }
    }

    /** A page that must wait until {@code until} (when the number's window ends). */
    public record Held(Due page, Instant until) {
    }

    /** What to do now: texts to send (stat ones first), and pages held back. */
    public record Plan(List<Text> send, List<Held> held) {
        public Plan {
            send = List.copyOf(send);
            held = List.copyOf(held);
        }
    }

    /**
     * Decides at {@code now}. {@code lastSent} says when each number was last texted (empty: never, or
     * longer ago than anyone remembers).
     */
    public Plan plan(List<Due> due, Function<String, Optional<Instant>> lastSent, Instant now) {
        Map<String, List<Due>> byPhone = new LinkedHashMap<>();
        due.stream().sorted(Comparator.comparing(Due::dueAt).thenComparing(d -> d.id().toString()))
                .forEach(d -> byPhone.computeIfAbsent(d.phone(), p -> new ArrayList<>()).add(d));
        List<Text> stat = new ArrayList<>();
        List<Text> others = new ArrayList<>();
        List<Held> held = new ArrayList<>();
        byPhone.forEach((phone, pages) -> {
            // A "last texted" after now is clock skew (or a clock set back): it never delays a page.
            Optional<Instant> last = lastSent.apply(phone).filter(t -> !t.isAfter(now));
            List<Due> rest = new ArrayList<>();
            for (Due page : pages) {
                if (page.stat()) {
                    stat.add(new Text(phone, List.of(page)));
                    last = Optional.of(now);
                } else {
                    rest.add(page);
                }
            }
            if (rest.isEmpty()) {
                return;
            }
            Optional<Instant> opens = last.map(t -> t.plus(window)).filter(t -> t.isAfter(now));
            if (opens.isPresent()) {
                rest.forEach(page -> held.add(new Held(page, opens.get())));
                return;
            }
            int take = Math.min(rest.size(), MAX_BUNDLE);
            others.add(new Text(phone, rest.subList(0, take)));
            Instant next = now.plus(window);
            rest.subList(take, rest.size()).forEach(page -> held.add(new Held(page, next)));
        });
        List<Text> send = new ArrayList<>(stat);
        send.addAll(others);
        return new Plan(send, held);
    }

    public Duration window() {
        return window;
    }
}
