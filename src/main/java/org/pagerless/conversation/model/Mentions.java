package org.pagerless.conversation.model;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.pagerless.rota.model.Hospital;

/**
 * The people a message calls on: {@code @kate.morgan} is that person, {@code @med-reg-oncall} is whoever holds the
 * role at the instant. Words after {@code @} that name nobody are left as text.
 */
public final class Mentions {
    private static final Pattern MENTION = Pattern.compile("(?<![\\w.])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])");

    private Mentions() {
    }

    public static Set<String> in(String body, Hospital hospital, Instant at) {
        Set<String> staff = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(body);
        while (m.find()) {
            String name = m.group(1);
            if (hospital.staff(name).isPresent()) {
                staff.add(name);
            } else {
                hospital.role(name).filter(r -> r.id().equals(name))
                        .ifPresent(r -> staff.addAll(hospital.holdersOf(r.id(), at)));
            }
        }
        return staff;
    }
}
