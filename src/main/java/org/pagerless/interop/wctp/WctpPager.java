package org.pagerless.interop.wctp;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.delivery.DeliveryState;
import org.pagerless.identity.Caller;
import org.pagerless.interop.HospitalSystems;
import org.pagerless.interop.PagerIds;
import org.pagerless.interop.wctp.WctpXml.Node;
import org.pagerless.intake.Intake;
import org.pagerless.intake.IntakeRequests.BleepRequest;
import org.pagerless.intake.IntakeRequests.To;
import org.pagerless.intake.IntakeValidator;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem;
import org.pagerless.rota.ReferenceData;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * WCTP 1.3 for nurse call, alarm management and paging gateways (docs/integration.md): {@code wctp-SubmitRequest}
 * pages a bleep number, role or person through intake, as a bleep; {@code wctp-ClientQuery} reports what became of
 * it (queued, read, the recipient's multiple-choice reply, or a failure). Every answer is a WCTP document with the
 * protocol's codes; nothing is accepted in part.
 */
@ApplicationScoped
public class WctpPager {
    private static final Logger LOG = Logger.getLogger(WctpPager.class);
    static final int MAX_MESSAGE = 160;

    @Inject
    HospitalSystems systems;
    @Inject
    Intake intake;
    @Inject
    TaskQueries queries;
    @Inject
    WctpChoices choices;
    @Inject
    DeliveryState deliveryState;
    @Inject
    ReferenceData referenceData;
    @Inject
    InstantSource clock;

    @ConfigProperty(name = "pagerless.interop.default-callback", defaultValue = "0")
    String defaultCallback;

    /** A WCTP failure: its code and text, answered as {@code wctp-Failure}. */
    static final class Failure extends RuntimeException {
        final int code;

        Failure(int code, String text) {
            super(text);
            this.code = code;
        }
    }

    /** Answers one WCTP operation; never throws. */
    String handle(Node operation) {
        try {
            if (!"wctp-Operation".equals(operation.name())) {
                throw new Failure(302, "the document element must be wctp-Operation");
            }
            Optional<Node> submit = operation.child("wctp-SubmitRequest");
            if (submit.isPresent()) {
                return submit(submit.get(), operation.attribute("wctpToken"));
            }
            Optional<Node> query = operation.child("wctp-ClientQuery");
            if (query.isPresent()) {
                return clientQuery(query.get(), operation.attribute("wctpToken"));
            }
            throw new Failure(303, "operation not supported here; use wctp-SubmitRequest or wctp-ClientQuery");
        } catch (Failure f) {
            return WctpXml.confirmation(f.code, f.getMessage(), false);
        }
    }

    private String submit(Node request, String token) {
        Node header = required(request, "wctp-SubmitHeader");
        Node originator = required(header, "wctp-Originator");
        Node control = required(header, "wctp-MessageControl");
        Node recipient = required(header, "wctp-Recipient");
        Caller sender = signIn(originator.attribute("senderID"),
                Optional.ofNullable(originator.attribute("securityCode")).orElse(token));
        String messageId = attribute(control, "messageID");
        String recipientId = attribute(recipient, "recipientID");
        Node payload = required(request, "wctp-Payload");
        String message;
        List<String> replies = List.of();
        if (payload.child("wctp-Alphanumeric").isPresent()) {
            message = payload.child("wctp-Alphanumeric").get().text();
        } else if (payload.child("wctp-MCR").isPresent()) {
            Node mcr = payload.child("wctp-MCR").get();
            message = required(mcr, "wctp-MessageText").text();
            replies = new ArrayList<>();
            for (Node choice : mcr.children()) {
                if (choice.name().equals("wctp-Choice")) {
                    replies.add(choice.text());
                } else if (choice.name().equals("wctp-ChoicePair")) {
                    replies.add(choice.child("wctp-ReplyChoice").or(() -> choice.child("wctp-SendChoice"))
                            .map(Node::text).orElse(""));
                }
            }
            if (replies.size() < 2) {
                throw new Failure(302, "wctp-MCR needs two choices: the first means accept, the second decline");
            }
        } else {
            throw new Failure(302, "wctp-Payload must hold wctp-Alphanumeric or wctp-MCR (wctp-TransparentData is "
                    + "not supported)");
        }
        if (message == null || message.isBlank()) {
            throw new Failure(302, "the message text is empty");
        }
        if (message.length() > MAX_MESSAGE) {
            if ("false".equals(control.attribute("allowTruncation"))) {
                throw new Failure(302, "the message is longer than " + MAX_MESSAGE
                        + " characters and allowTruncation is false");
            }
            message = message.substring(0, MAX_MESSAGE);
        }
        String callback = Optional.ofNullable(originator.attribute("miscInfo"))
                .filter(IntakeValidator::isCallback).orElse(defaultCallback);
        BleepRequest bleep = new BleepRequest(to(recipientId), callback, message.trim(),
                priority(control.attribute("deliveryPriority")), null);
        UUID taskId;
        try {
            taskId = intake.bleep(bleep, sender.staffId(), messageId).toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .id();
        } catch (InvalidRequest e) {
            Problem.Violation v = e.violations().get(0);
            throw new Failure(v.field().startsWith("to") ? 403 : 302, v.field() + ": " + v.reason());
        } catch (ExecutionException | CompletionException | TimeoutException e) {
            LOG.warnf("WCTP page not taken by the broker: %s", e.getClass().getSimpleName());
            throw new Failure(604, "the page was not accepted (message broker unavailable); it is safe to retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(604, "the page was not accepted; it is safe to retry");
        }
        boolean notifyDelivered = "true".equals(control.attribute("notifyWhenDelivered"));
        if (!replies.isEmpty() || notifyDelivered) {
            choices.remember(taskId, sender.staffId(), replies, notifyDelivered, clock.instant());
        }
        return WctpXml.confirmation(200, "Message accepted for delivery, tracking " + messageId, true);
    }

    private To to(String recipientId) {
        return PagerIds.resolve(referenceData.hospital(), recipientId).orElseThrow(() -> new Failure(403,
                "invalid recipientID: no bleep number, role or person '" + recipientId + "'"));
    }

    /** WCTP's three delivery priorities as ours. */
    static String priority(String deliveryPriority) {
        if (deliveryPriority == null) {
            return "urgent";
        }
        return switch (deliveryPriority) {
            case "HIGH" -> "asap";
            case "NORMAL" -> "urgent";
            case "LOW" -> "routine";
            default -> throw new Failure(302, "deliveryPriority must be HIGH, NORMAL or LOW");
        };
    }

    private String clientQuery(Node query, String token) {
        String senderId = attribute(query, "senderID");
        Caller sender = signIn(senderId, token);
        String trackingNumber = attribute(query, "trackingNumber");
        String recipientId = attribute(query, "recipientID");
        // A WCTP page is never stat (HIGH is asap), so its task is in the routine lane, under the id the key gives.
        UUID taskId = Intake.taskId(sender.staffId(), trackingNumber);
        Task task = queries.find(taskId).filter(t -> t.requester().equals(sender.staffId()))
                .orElseThrow(() -> new Failure(404, "no page with trackingNumber '" + trackingNumber
                        + "' from " + senderId + " (yet)"));
        List<String> replies = choices.of(taskId);
        List<TaskEvent> timeline = queries.timeline(taskId);
        List<DeliveryState.PersonState> delivered = choices.notifyDelivered(taskId) ? deliveredTo(taskId) : List.of();
        return WctpXml.operation(xml -> {
            xml.writeStartElement("wctp-ClientQueryResponse");
            boolean any = false;
            boolean deliveryReported = false;
            for (TaskEvent event : timeline) {
                any |= report(xml, event, task, replies, recipientId, senderId);
                if (event instanceof TaskEvent.TaskOffered && !deliveryReported) {
                    // After the first QUEUED: one DELIVERED per person whose phone or app has it.
                    deliveryReported = true;
                    for (DeliveryState.PersonState person : delivered) {
                        statusInfo(xml, firstDelivery(person), person.staffId(), senderId, "DELIVERED");
                    }
                }
            }
            if (!any) {
                xml.writeEmptyElement("wctp-NoMessages");
            }
            xml.writeEndElement();
        });
    }

    /** One event as a WCTP client message, if it is one a paging client hears of. */
    private boolean report(XMLStreamWriter xml, TaskEvent event, Task task, List<String> replies, String recipientId,
                           String senderId) throws XMLStreamException {
        String from = event.actor() == null ? recipientId : event.actor();
        if (event instanceof TaskEvent.TaskOffered) {
            statusInfo(xml, event, recipientId, senderId, "QUEUED");
        } else if (event instanceof TaskEvent.TaskAccepted) {
            if (replies.isEmpty()) {
                statusInfo(xml, event, from, senderId, "READ");
            } else {
                reply(xml, event, from, senderId, replies.get(0));
            }
        } else if (event instanceof TaskEvent.TaskDeclined && !replies.isEmpty()) {
            reply(xml, event, from, senderId, replies.get(1));
        } else if (event instanceof TaskEvent.TaskFailed || event instanceof TaskEvent.TaskCancelled) {
            xml.writeStartElement("wctp-ClientMessage");
            xml.writeStartElement("wctp-ClientStatusInfo");
            responseHeader(xml, event, recipientId, senderId);
            WctpXml.outcome(xml, 503, event instanceof TaskEvent.TaskFailed
                    ? "nobody accepted the page; switchboard and the nurse in charge were alerted"
                    : "the page was cancelled", false);
            xml.writeEndElement();
            xml.writeEndElement();
        } else {
            return false;
        }
        return true;
    }

    /**
     * The people the page has reached, from the delivery feature's facts: any channel delivered or read (a phone
     * that rang and was answered, a text the carrier delivered, the app showing it).
     */
    private List<DeliveryState.PersonState> deliveredTo(UUID taskId) {
        try {
            return deliveryState.of(java.util.Set.of(taskId)).getOrDefault(taskId, List.of()).stream()
                    .filter(p -> p.channels().stream().anyMatch(WctpPager::reached)).toList();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read delivery state", e);
        }
    }

    private static boolean reached(DeliveryState.ChannelState c) {
        return "delivered".equals(c.status()) || "read".equals(c.status());
    }

    private static java.time.Instant firstDelivery(DeliveryState.PersonState person) {
        return person.channels().stream().filter(WctpPager::reached).map(DeliveryState.ChannelState::at)
                .min(java.util.Comparator.naturalOrder()).orElseThrow();
    }

    private static void statusInfo(XMLStreamWriter xml, TaskEvent event, String from, String to, String type)
            throws XMLStreamException {
        statusInfo(xml, event.at(), from, to, type);
    }

    private static void statusInfo(XMLStreamWriter xml, java.time.Instant at, String from, String to, String type)
            throws XMLStreamException {
        xml.writeStartElement("wctp-ClientMessage");
        xml.writeStartElement("wctp-ClientStatusInfo");
        responseHeader(xml, at, from, to);
        xml.writeEmptyElement("wctp-Notification");
        xml.writeAttribute("type", type);
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private static void reply(XMLStreamWriter xml, TaskEvent event, String from, String to, String text)
            throws XMLStreamException {
        xml.writeStartElement("wctp-ClientMessage");
        xml.writeStartElement("wctp-ClientMessageReply");
        xml.writeAttribute("MCRMessageReply", "true");
        responseHeader(xml, event, from, to);
        xml.writeStartElement("wctp-Payload");
        xml.writeStartElement("wctp-Alphanumeric");
        xml.writeCharacters(text);
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private static void responseHeader(XMLStreamWriter xml, TaskEvent event, String from, String to)
            throws XMLStreamException {
        responseHeader(xml, event.at(), from, to);
    }

    private static void responseHeader(XMLStreamWriter xml, java.time.Instant at, String from, String to)
            throws XMLStreamException {
        xml.writeStartElement("wctp-ClientResponseHeader");
        xml.writeAttribute("responseTimestamp", at.toString().replaceFirst("\\.\\d+Z$", "Z").replace("Z", ""));
        xml.writeEmptyElement("wctp-Originator");
        xml.writeAttribute("senderID", from);
        xml.writeEmptyElement("wctp-Recipient");
        xml.writeAttribute("recipientID", to);
        xml.writeEndElement();
    }

    private Caller signIn(String senderId, String secret) {
        if (senderId == null || senderId.isBlank()) {
            throw new Failure(401, "senderID is required");
        }
        return systems.signIn(senderId, secret)
                .orElseThrow(() -> new Failure(402, "invalid senderID or securityCode for a hospital system"));
    }

    private static Node required(Node parent, String name) {
        return parent.child(name).orElseThrow(() -> new Failure(302, parent.name() + " must contain " + name));
    }

    private static String attribute(Node node, String name) {
        String value = node.attribute(name);
        if (value == null || value.isBlank()) {
            throw new Failure(302, node.name() + "/@" + name + " is required");
        }
        return value;
    }
}
