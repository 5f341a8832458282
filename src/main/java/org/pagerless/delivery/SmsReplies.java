package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.delivery.model.DeliveryStatus;
import org.pagerless.delivery.model.SmsReply;
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
import org.pagerless.task.model.TaskCommand.PassUp;
import org.pagerless.task.model.TaskEvent.CommandRejected;
import org.pagerless.task.model.TaskStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Answers a text sent back to Pagerless. Codes become the same commands the app sends ({@code 1}
 * accept, {@code 2} decline, {@code 3} pass up the chain); every text gets an answer, never silence.
 * The command id comes from Twilio's message sid, so a webhook Twilio retries is applied once.
 */
@ApplicationScoped
public class SmsReplies {
    static final String DECLINED = "declined by SMS";
    /** {@code 3}: a decline that sends the task to the next step of its chain now (PassUp, ADR 0007). */
    static final String PASSED_UP = "passed up the chain by SMS";

    @Inject
    ReferenceData referenceData;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    SmsOptOuts optOuts;
    @Inject
    Contacts contacts;
    @Inject
    TaskQueries tasks;
    @Inject
    CommandGateway gateway;
    @Inject
    InstantSource clock;
    @Inject
    org.pagerless.platform.Jdbc jdbc;

    @ConfigProperty(name = "pagerless.actions.await", defaultValue = "5s")
    Duration awaitOutcome;

    /** Handles a text from {@code from} and returns the answer to text back. */
    public String handle(String from, String body, String messageSid) throws SQLException {
        Instant now = clock.instant();
        Optional<String> staffId = from == null ? Optional.empty() : contacts.staffWithPhone(from.trim());
        SmsReply reply = SmsReply.parse(body);
        if (reply instanceof SmsReply.Stop) {
            if (firstTime(messageSid, from.trim(), "STOP", now)) {
                optOuts.optOut(from.trim(), now);
            }
            return "Pagerless will not text this number any more. Pages still reach you in the app. "
                    + "Reply START to turn texts back on.";
        }
        if (reply instanceof SmsReply.Start) {
            if (firstTime(messageSid, from.trim(), "START", now)) {
                optOuts.optIn(from.trim());
            }
            return "Pagerless texts are on again for this number.";
        }
        if (staffId.isEmpty()) {
            return "This number is not registered with Pagerless. Ask switchboard to add it to your profile.";
        }
        if (!(reply instanceof SmsReply.Answer answer)) {
            return "Not understood. Reply 1 to accept, 2 to decline, 3 to pass up the chain "
                    + "(or the ref then the code, e.g. 3F2A9C 1). STOP turns texts off.";
        }
        Map<String, Task> open = openFor(staffId.get(), now);
        Task task;
        if (answer.ref() != null) {
            task = open.get(answer.ref());
            if (task == null) {
                return "No open page " + answer.ref() + " for you: it may have been taken by someone else or "
                        + "cancelled. Check the Pagerless app.";
            }
        } else if (open.isEmpty()) {
            return "No open page for you to answer: it may have been taken by someone else or cancelled. "
                    + "Check the Pagerless app.";
        } else if (open.size() > 1) {
            return "You have " + open.size() + " open pages: " + String.join(", ", open.keySet())
                    + ". Reply with the ref then the code, e.g. " + open.keySet().iterator().next() + " 1.";
        } else {
            task = open.values().iterator().next();
        }
        return act(task, staffId.get(), answer.action(), messageSid);
    }

    /**
     * Whether this STOP/START (by Twilio's MessageSid) is seen for the first time: a retried webhook answers the
     * same but changes nothing, so a STOP retried after a later START cannot turn texts off again.
     */
    private boolean firstTime(String messageSid, String phone, String action, Instant now) throws SQLException {
        if (messageSid == null || messageSid.isBlank()) {
            return true;
        }
        return jdbc.update("insert into sms_opt_change (message_sid, phone, action, applied_at) values (?, ?, ?, ?) "
                + "on conflict (message_sid) do nothing", messageSid, phone, action, now) == 1;
    }

    private String act(Task task, String staffId, SmsReply.Action action, String messageSid) throws SQLException {
        String ref = org.pagerless.delivery.model.PageText.ref(task.id());
        UUID commandId = Ids.derived("sms", messageSid);
        TaskCommand command;
        String done;
        switch (action) {
            case ACCEPT:
                command = new AcceptTask(commandId, task.id(), staffId);
                done = "Accepted " + ref + ". It is yours: details in the Pagerless app.";
                break;
            case DECLINE:
                command = new DeclineTask(commandId, task.id(), staffId, DECLINED);
                done = "Declined " + ref + ".";
                break;
            default:
                command = new PassUp(commandId, task.id(), staffId, PASSED_UP);
                done = "Passed " + ref + " up the chain.";
                break;
        }
        for (Delivery d : outbox.textsTo(staffId, task.raisedAt().minus(Duration.ofMinutes(1)))) {
            if (d.taskId().equals(task.id())) {
                outbox.move(d.id(), staffId, DeliveryStatus.READ, "answered by SMS", clock.instant());
            }
        }
        Optional<TaskCodec.Published> outcome = gateway.submitAndAwait(command, awaitOutcome);
        if (outcome.isEmpty()) {
            return "Received for " + ref + "; check the Pagerless app for the outcome.";
        }
        if (outcome.get().event() instanceof CommandRejected rejected) {
            String owner = rejected.owner() == null ? null : referenceData.hospital().staff(rejected.owner())
                    .map(Staff::displayName).orElse(rejected.owner());
            return "Not done: " + ref + (owner != null ? " was already accepted by " + owner
                    : " is " + (outcome.get().task() == null ? "unknown" : outcome.get().task().status().code()))
                    + ".";
        }
        return done;
    }

    /** The tasks this person was texted about and that are still offered to them, by ref, newest first. */
    private Map<String, Task> openFor(String staffId, Instant now) throws SQLException {
        Map<String, Task> open = new LinkedHashMap<>();
        List<UUID> seen = new ArrayList<>();
        for (Delivery d : outbox.textsTo(staffId, now.minus(Duration.ofHours(24)))) {
            if (seen.contains(d.taskId())) {
                continue;
            }
            seen.add(d.taskId());
            tasks.find(d.taskId()).filter(t -> t.status() == TaskStatus.OFFERED && t.offeredTo().contains(staffId))
                    .ifPresent(t -> open.put(d.ref(), t));
        }
        return open;
    }
}
