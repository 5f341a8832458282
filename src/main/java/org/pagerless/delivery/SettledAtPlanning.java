package org.pagerless.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.pagerless.delivery.model.Channel;
import org.pagerless.delivery.model.Ladder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Texts, calls and pushes that could not go even if claimed this instant: a step due the moment it is planned (a stat
 * page's text and call, an urgent page's push, at 0 s) whose channel is not configured, whose person has no mobile
 * number on record or has not confirmed it ({@link PhoneChecks#why}, the checks the dispatcher makes), or, for a push,
 * who has no live push subscription ({@link PushDispatch#stop}). The outbox writes such a row already settled
 * ({@code failed}, or {@code withdrawn} for a push nobody can receive), with the reason the dispatcher would have
 * written a few milliseconds later, and it is never claimed (ADR 0072, ADR 0078). A later rung (an asap page's text at
 * 60 s) is planned {@code pending} and checked when it falls due, as before: the person may add a number or subscribe
 * meanwhile. One reach look-up and one subscription look-up per outbox batch at most, and none when no such step is
 * due at once or its channel is not configured.
 */
@ApplicationScoped
public class SettledAtPlanning {
    @Inject
    TwilioSms sms;
    @Inject
    TwilioVoice voice;
    @Inject
    WebPushSender push;
    @Inject
    Contacts contacts;
    @Inject
    PushSubscriptions subscriptions;

    /** The text, call and push rows of these notifications that are settled as they are planned, by row id. */
    Map<UUID, PhoneChecks.Stop> of(List<Notification> notifications, Function<Notification, Ladder> ladders,
                                   Duration expireAfter, Instant now) {
        record Step(UUID rowId, String staffId, Channel channel) {
        }
        List<Step> dueNow = new ArrayList<>();
        for (Notification n : notifications) {
            for (Ladder.Step step : ladders.apply(n).steps()) {
                Instant due = n.offeredAt().plus(step.after());
                // Due now and not yet expired (an expired row is withdrawn by its claim, as before).
                if (step.channel() != Channel.IN_APP && !due.isAfter(now) && now.isBefore(due.plus(expireAfter))) {
                    dueNow.add(new Step(DeliveryOutbox.idFor(n.id(), step.channel()), n.staffId(), step.channel()));
                }
            }
        }
        Map<UUID, PhoneChecks.Stop> settled = new HashMap<>();
        if (dueNow.isEmpty()) {
            return settled;
        }
        Map<Channel, Optional<String>> refused = Map.of(Channel.SMS, sms.guard().refusal(), Channel.VOICE,
                voice.guard().refusal(), Channel.PUSH, push.guard().refusal());
        List<String> phoned = new ArrayList<>();
        List<String> pushed = new ArrayList<>();
        for (Step s : dueNow) {
            if (refused.get(s.channel()).isEmpty()) {
                (s.channel() == Channel.PUSH ? pushed : phoned).add(s.staffId());
            }
        }
        Map<String, Contacts.Reach> reach = phoned.isEmpty() ? Map.of() : contacts.reach(phoned);
        Set<String> subscribed = pushed.isEmpty() ? Set.of() : subscriptions.reachable(pushed);
        for (Step s : dueNow) {
            Optional<PhoneChecks.Stop> stop = s.channel() == Channel.PUSH
                    ? PushDispatch.stop(refused.get(Channel.PUSH), subscribed.contains(s.staffId()))
                    : PhoneChecks.why(null, refused.get(s.channel()), reach.get(s.staffId()));
            stop.ifPresent(it -> settled.put(s.rowId(), it));
        }
        return settled;
    }
}
