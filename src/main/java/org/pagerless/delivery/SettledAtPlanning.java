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
import org.pagerless.task.TaskQueries;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Rows settled the moment they are planned, each as its lane would settle it a few milliseconds later if claimed then
 * (ADR 0072, ADR 0078, ADR 0079), for steps due at once and not yet expired:
 * <ul>
 * <li>an in-app first step (every page's, at 0 s) is {@code sent} if the task is still offered to the person (its row
 * is their inbox; the offer itself reached their live feed from the task event), {@code withdrawn} if not;</li>
 * <li>a text or call whose channel is not configured, or whose person has no mobile number on record or has not
 * confirmed it ({@link PhoneChecks#why}, the checks the dispatcher makes), is {@code failed};</li>
 * <li>a push whose channel is not configured is {@code failed}, one to a person with no live push subscription
 * {@code withdrawn} ({@link PushDispatch#stop}).</li>
 * </ul>
 * The outbox writes such a row with that status and reason and is never claimed. A later rung (an asap page's text at
 * 60 s) is planned {@code pending} and checked when it falls due, as before: the person may add a number, subscribe or
 * accept meanwhile. At most one look-up each of offers, reach and subscriptions per outbox batch, and none when no
 * such step is due at once.
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
    @Inject
    TaskQueries tasks;

    /** An in-app first step whose task is no longer offered to its person. */
    private static final Settlement NOT_OFFERED = Settlement.withdrawn(StillNeeded.NO_LONGER_OFFERED);

    /** The rows of these notifications that are settled as they are planned, by row id. */
    Map<UUID, Settlement> of(List<Notification> notifications, Function<Notification, Ladder> ladders,
                                   Duration expireAfter, Instant now) {
        record Step(UUID rowId, Notification n, Channel channel) {
        }
        List<Step> dueNow = new ArrayList<>();
        for (Notification n : notifications) {
            List<Ladder.Step> steps = ladders.apply(n).steps();
            for (int i = 0; i < steps.size(); i++) {
                Ladder.Step step = steps.get(i);
                Instant due = n.offeredAt().plus(step.after());
                // Due now and not yet expired (an expired row is withdrawn by its claim, as before). An in-app step
                // after the first may be read elsewhere first: its claim decides it.
                if ((step.channel() != Channel.IN_APP || i == 0) && !due.isAfter(now)
                        && now.isBefore(due.plus(expireAfter))) {
                    dueNow.add(new Step(DeliveryOutbox.idFor(n, step.channel()), n, step.channel()));
                }
            }
        }
        Map<UUID, Settlement> settled = new HashMap<>();
        if (dueNow.isEmpty()) {
            return settled;
        }
        Map<Channel, Optional<String>> refused = Map.of(Channel.SMS, sms.guard().refusal(), Channel.VOICE,
                voice.guard().refusal(), Channel.PUSH, push.guard().refusal());
        List<UUID> offers = new ArrayList<>();
        List<String> phoned = new ArrayList<>();
        List<String> pushed = new ArrayList<>();
        for (Step s : dueNow) {
            if (s.channel() == Channel.IN_APP) {
                if (!s.n().isMessage()) {
                    offers.add(s.n().taskId());
                }
            } else if (refused.get(s.channel()).isEmpty()) {
                (s.channel() == Channel.PUSH ? pushed : phoned).add(s.n().staffId());
            }
        }
        Map<UUID, Set<String>> offeredNow = offers.isEmpty() ? Map.of() : tasks.offeredNow(offers);
        Map<String, Contacts.Reach> reach = phoned.isEmpty() ? Map.of() : contacts.reach(phoned);
        Set<String> subscribed = pushed.isEmpty() ? Set.of() : subscriptions.reachable(pushed);
        for (Step s : dueNow) {
            String staffId = s.n().staffId();
            Optional<Settlement> stop = switch (s.channel()) {
                case IN_APP -> Optional.of(s.n().isMessage()
                        || offeredNow.getOrDefault(s.n().taskId(), Set.of()).contains(staffId) ? Settlement.SENT : NOT_OFFERED);
                case PUSH -> PushDispatch.stop(refused.get(Channel.PUSH), subscribed.contains(staffId));
                default -> PhoneChecks.why(null, refused.get(s.channel()), reach.get(staffId));
            };
            stop.ifPresent(it -> settled.put(s.rowId(), it));
        }
        return settled;
    }
}
