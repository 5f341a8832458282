package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.Ladder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Texts and calls that could not go even if claimed this instant: a step due the moment it is planned (a stat page's
 * text and call, at 0 s) whose channel is not configured, or whose person has no mobile number on record or has not
 * confirmed it ({@link PhoneChecks#why}, the checks the dispatcher makes). The outbox writes such a row already
 * {@code failed}, with the reason the dispatcher would have written a few milliseconds later, and is never claimed
 * (ADR 0072). A later rung (an asap page's text at 60 s) is planned {@code pending} and checked when it falls due,
 * as before: the person may add a number meanwhile. One reach look-up per outbox batch, and none when no text or call is
 * due at once or the channels are not configured.
 */
@ApplicationScoped
public class SettledAtPlanning {
    @Inject
    TwilioSms sms;
    @Inject
    TwilioVoice voice;
    @Inject
    Contacts contacts;

    /** The text and call rows of these notifications that are settled as they are planned, by row id. */
    Map<UUID, PhoneChecks.Stop> of(List<Notification> notifications, Function<Notification, Ladder> ladders,
                                   Duration expireAfter, Instant now) {
        record Step(UUID rowId, String staffId, Channel channel) {
        }
        List<Step> dueNow = new ArrayList<>();
        for (Notification n : notifications) {
            for (Ladder.Step step : ladders.apply(n).steps()) {
                Instant due = n.offeredAt().plus(step.after());
                boolean phone = step.channel() == Channel.SMS || step.channel() == Channel.VOICE;
                // Due now and not yet expired (an expired row is withdrawn by its claim, as before).
                if (phone && !due.isAfter(now) && now.isBefore(due.plus(expireAfter))) {
                    dueNow.add(new Step(DeliveryOutbox.idFor(n.id(), step.channel()), n.staffId(), step.channel()));
                }
            }
        }
        Map<UUID, PhoneChecks.Stop> settled = new HashMap<>();
        if (dueNow.isEmpty()) {
            return settled;
        }
        Map<Channel, Optional<String>> refused = Map.of(Channel.SMS, sms.guard().refusal(), Channel.VOICE,
                voice.guard().refusal());
        Map<String, Contacts.Reach> reach = contacts.reach(dueNow.stream()
                .filter(s -> refused.get(s.channel()).isEmpty()).map(Step::staffId).toList());
        for (Step s : dueNow) {
            PhoneChecks.why(null, refused.get(s.channel()), reach.get(s.staffId()))
                    .ifPresent(stop -> settled.put(s.rowId(), stop));
        }
        return settled;
    }
}
