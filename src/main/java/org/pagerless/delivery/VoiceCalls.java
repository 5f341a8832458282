package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.PageText;
import org.pagerless.delivery.model.VoiceKey;
import org.pagerless.platform.Ids;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Staff;
import org.pagerless.task.CommandGateway;
import org.pagerless.task.TaskCodec;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskCommand;
import org.pagerless.task.model.TaskCommand.AcceptTask;
import org.pagerless.task.model.TaskCommand.DeclineTask;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskStatus;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Say;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What a page call says (TwiML) and what its keys do: {@code 1} accept, {@code 2} decline, {@code 9}
 * repeat, the same commands the app sends, through {@link CommandGateway}. The words are decided when the
 * call is answered, from the task as it is then: a page taken meanwhile is not offered again. They carry
 * priority, kind, ward and reference, never the patient (ADR 0012). The command id comes from Twilio's call
 * sid and the key, so a key webhook Twilio retries is applied once.
 */
@ApplicationScoped
public class VoiceCalls {
    static final String DECLINED = "declined by phone";
    /** The prompt is said once and, while no key is pressed, repeated twice; then the call says goodbye. */
    static final int PROMPTS = 3;
    static final String ACCEPTED = "Accepted. The task is yours; details are in the Pagerless app.";
    static final String DECLINED_SAID = "Declined. Thank you.";
    static final String NOTHING_PRESSED = "No key pressed. The page is still in your Pagerless app. Goodbye.";
    static final String WRONG_KEY = "Sorry, that key does nothing.";

    @Inject
    DeliveryOutbox outbox;
    @Inject
    TaskQueries tasks;
    @Inject
    CommandGateway gateway;
    @Inject
    ReferenceData referenceData;
    @Inject
    TwilioSms twilio;
    @Inject
    InstantSource clock;

    @ConfigProperty(name = "pagerless.actions.await", defaultValue = "5s")
    Duration awaitOutcome;

    /** The call was answered: the page and its menu, or why there is nothing to answer any more. */
    public String answered(String deliveryId) throws SQLException {
        Optional<Delivery> found = delivery(deliveryId);
        if (found.isEmpty()) {
            return goodbye("This call is not one Pagerless knows about. Goodbye.");
        }
        Delivery d = found.get();
        outbox.move(d.id(), null, DeliveryStatus.DELIVERED, "answered", clock.instant());
        Optional<String> gone = noLongerOffered(d);
        return gone.isPresent() ? goodbye(gone.get()) : prompt(d, null);
    }

    /** A key was pressed during the prompt of call {@code callSid}: acts on it and says what happened. */
    public String pressed(String deliveryId, String callSid, String digits) throws SQLException {
        Optional<Delivery> found = delivery(deliveryId);
        if (found.isEmpty() || callSid == null || callSid.isBlank()) {
            return goodbye("This call is not one Pagerless knows about. Goodbye.");
        }
        Delivery d = found.get();
        VoiceKey key = VoiceKey.of(digits);
        boolean broadcast = TaskKind.BROADCAST.name().equals(d.kind());
        if (key == VoiceKey.REPEAT || key == VoiceKey.NOTHING || broadcast) {
            Optional<String> gone = noLongerOffered(d);
            if (gone.isPresent()) {
                return goodbye(gone.get());
            }
            return prompt(d, key == VoiceKey.REPEAT ? null : WRONG_KEY);
        }
        return act(d, key, callSid, digits);
    }

    private String act(Delivery d, VoiceKey key, String callSid, String digits) throws SQLException {
        UUID commandId = Ids.named("voice:" + callSid + "/" + digits.trim());
        TaskCommand command = key == VoiceKey.ACCEPT ? new AcceptTask(commandId, d.taskId(), d.staffId())
                : new DeclineTask(commandId, d.taskId(), d.staffId(), DECLINED);
        outbox.move(d.id(), d.staffId(), DeliveryStatus.READ, "answered by phone", clock.instant());
        Optional<TaskCodec.Published> outcome = gateway.submitAndAwait(command, awaitOutcome);
        if (outcome.isEmpty()) {
            return goodbye("Received. Check the Pagerless app for the outcome. Goodbye.");
        }
        if (outcome.get().event() instanceof CommandRejected rejected) {
            if (rejected.owner() != null && !rejected.owner().equals(d.staffId())) {
                return goodbye("Already accepted by " + nameOf(rejected.owner()) + ". Nothing more to do. Goodbye.");
            }
            if (rejected.owner() != null) {
                return goodbye("This task is already yours; details are in the Pagerless app. Goodbye.");
            }
            Task task = outcome.get().task();
            return goodbye("Not done: the task is " + (task == null ? "unknown" : task.status().code())
                    + ". Check the Pagerless app. Goodbye.");
        }
        return goodbye(key == VoiceKey.ACCEPT ? ACCEPTED : DECLINED_SAID);
    }

    /** Why the call has nothing to offer any more, if so: the task was taken, declined, cancelled or finished. */
    private Optional<String> noLongerOffered(Delivery d) {
        Optional<Task> task = tasks.find(d.taskId());
        if (task.isPresent() && task.get().status() == TaskStatus.OFFERED
                && task.get().offeredTo().contains(d.staffId())) {
            return Optional.empty();
        }
        String ref = "Reference " + PageText.spell(d.ref());
        String owner = task.map(Task::owner).orElse(null);
        if (owner != null && !owner.equals(d.staffId())) {
            return Optional.of(ref + " has already been accepted by " + nameOf(owner) + ". Nothing more to do. Goodbye.");
        }
        if (owner != null) {
            return Optional.of(ref + " is already yours; details are in the Pagerless app. Goodbye.");
        }
        return Optional.of(ref + " is no longer waiting for you. Check the Pagerless app. Goodbye.");
    }

    /** The page, said up to {@value #PROMPTS} times while no key is pressed; then goodbye. */
    private String prompt(Delivery d, String before) {
        String words = PageText.voice(d.priority(), d.kind(), referenceData.wardName(d.wardId()), d.ref());
        String action = twilio.publicUrl().orElse("") + VoiceWebhooks.keyPath(d.id());
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        if (before != null) {
            twiml.say(say(before));
        }
        for (int i = 0; i < PROMPTS; i++) {
            twiml.gather(new Gather.Builder().numDigits(1).timeout(5).action(action).method(HttpMethod.POST)
                    .say(say(words)).build());
        }
        return TwimlText.of(twiml.say(say(NOTHING_PRESSED)).hangup(new Hangup.Builder().build()).build());
    }

    private static String goodbye(String words) {
        return TwimlText.of(new VoiceResponse.Builder().say(say(words)).hangup(new Hangup.Builder().build()).build());
    }

    private static Say say(String words) {
        return new Say.Builder(words).language(Say.Language.EN_GB).build();
    }

    private String nameOf(String staffId) {
        return referenceData.hospital().staff(staffId).map(Staff::displayName).orElse(staffId);
    }

    private Optional<Delivery> delivery(String id) throws SQLException {
        UUID deliveryId;
        try {
            deliveryId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return outbox.byId(deliveryId).filter(d -> d.channel() == org.pagerless.delivery.model.Channel.VOICE);
    }
}
