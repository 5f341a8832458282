package org.pagerless.interop.fhir;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.pagerless.platform.ConsumerLoop;
import org.pagerless.platform.Consumers;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Topics;
import org.pagerless.task.TaskCodec;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.identity.StaffDirectory;
import org.pagerless.task.TaskAccess;
import org.pagerless.task.TaskSearch;
import org.pagerless.task.model.TaskEvent;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Which FHIR Subscriptions a task change concerns: reads the task-event stream in a consumer group of its own (so
 * it never holds up the task processor or anyone else), checks each change's task against every live
 * subscription's criteria, and queues a notification row per match ({@link FhirSubscriptions#enqueue}). A change
 * (one command) that produced several events is queued once, under its command id; a replayed batch queues nothing
 * new. Sending is {@link FhirSubscriptionSender}'s job. An unreadable event is parked (ADR 0013); while no subscription
 * is live no event is read at all.
 */
@ApplicationScoped
public class FhirSubscriptionFeed {
    static final String GROUP = "pagerless-fhir-subscriptions";

    @Inject
    TaskAccess access;
    @Inject
    StaffDirectory staff;
    @Inject
    Consumers consumers;
    @Inject
    TaskCodec codec;
    @Inject
    FhirSubscriptions subscriptions;
    @Inject
    FhirTaskSearch search;
    @Inject
    FhirSubscriptionSender sender;
    @Inject
    InstantSource clock;

    private ConsumerLoop loop;
    /** Criteria as read, by their text: a subscription's criteria never change, and reading them needs the wards. */
    private final Map<String, TaskSearch> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    void onStart(@Observes @Priority(47) StartupEvent start) {
        loop = consumers.background("fhir-subscriptions", GROUP, Topics.TASK_EVENTS, 500, this::match);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        loop.stop();
    }

    /**
     * The live subscriptions are read once per batch, before any event: while there are none (most hospitals, most of
     * the time) the batch is done without decoding a record. Read from the database, not remembered, so a
     * subscription made on another pod counts from the next batch on, as before.
     */
    private void match(List<ConsumerRecord<String, String>> records) throws Exception {
        List<FhirSubscriptions.Stored> live = subscriptions.live();
        if (live.isEmpty()) {
            return;
        }
        List<FhirSubscriptions.Match> matches = new ArrayList<>();
        Map<UUID, Boolean> seen = new HashMap<>();
        Map<String, TaskAccess.Visibility> scopes = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            TaskCodec.Published published = codec.published(record.value());
            TaskEvent event = published.event();
            // A refused command changed nothing; a change is notified once, at its first event.
            if (event instanceof TaskEvent.CommandRejected || published.task() == null
                    || seen.put(event.commandId(), Boolean.TRUE) != null) {
                continue;
            }
            for (FhirSubscriptions.Stored s : live) {
                TaskSearch criteria = criteria(s.criteria());
                // A system is told only of tasks it may read itself (those it raised or its wards': TaskAccess).
                TaskAccess.Visibility visible = scopes.computeIfAbsent(s.createdBy(), by -> access.of(
                        new Caller(by, staff.appRoleOf(by).orElse(AppRoles.INTEGRATION))));
                if (criteria != null && criteria.matches(published.task())
                        && new TaskSearch(null, null, null, null, null, null, null, visible).matches(published.task())) {
                    matches.add(new FhirSubscriptions.Match(s.id(), event.commandId(), event.eventId(),
                            event.taskId()));
                }
            }
        }
        if (subscriptions.enqueue(matches, clock.instant()) > 0) {
            sender.wake();
        }
    }

    /** The criteria as a search; null (never matches) if they no longer read, e.g. a ward since removed. */
    private TaskSearch criteria(String text) {
        TaskSearch known = parsed.get(text);
        if (known != null) {
            return known;
        }
        try {
            TaskSearch read = search.subscriptionCriteria(text);
            parsed.put(text, read);
            return read;
        } catch (InvalidRequest e) {
            return null;
        }
    }
}
