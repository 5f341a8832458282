package org.pagerless.interop.fhir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.DateTimeType;
import org.pagerless.identity.Caller;
import org.pagerless.intake.NhsNumber;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.rota.ReferenceData;
import org.pagerless.rota.model.Hospital;
import org.pagerless.identity.PatientReadAudit;
import org.pagerless.task.TaskAccess;
import org.pagerless.task.TaskView;
import org.pagerless.task.TaskQueries;
import org.pagerless.task.TaskSearch;
import org.pagerless.task.TaskSearch.Bound;
import org.pagerless.task.TaskSearch.Comparison;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.TaskStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * {@code GET /fhir/Task?...}: the search parameters of {@link FhirCapability#TASK_SEARCH} read into a
 * {@link TaskSearch}, and one page of the result as a searchset {@code Bundle} with self, next and previous links.
 * Unknown parameters are refused: a misspelt filter must not quietly list every task.
 */
@ApplicationScoped
public class FhirTaskSearch {
    static final int DEFAULT_COUNT = 50;
    static final int MAX_COUNT = 200;
    private static final String OFFSET = "_getpagesoffset";
    private static final Set<String> KNOWN = Set.of("status", "owner", "requester", "patient:identifier", "priority",
            "ward", "_lastUpdated", "_count", OFFSET, "_format");

    @Inject
    TaskQueries queries;
    @Inject
    TaskAccess access;
    @Inject
    PatientReadAudit audit;
    @Inject
    ReferenceData referenceData;

    public Bundle search(MultivaluedMap<String, String> params, Caller caller, String base) {
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new InvalidRequest(name, "is not a supported search parameter; see /fhir/metadata");
            }
        }
        Hospital hospital = referenceData.hospital();
        boolean statusGiven = params.containsKey("status");
        TaskSearch criteria = criteria(params, caller == null ? null : access.of(caller), hospital);
        int count = number(params, "_count", DEFAULT_COUNT, 1, MAX_COUNT);
        int offset = number(params, OFFSET, 0, 0, Integer.MAX_VALUE);
        Set<TaskStatus> statuses = criteria.statuses();

        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        // A status that no Pagerless task can have (e.g. draft) matches nothing.
        TaskSearch.Page page = statusGiven && statuses.isEmpty() ? new TaskSearch.Page(List.of(), 0)
                : queries.search(criteria, offset, count);
        bundle.setTotal(page.total());
        audit.readOverHttp("GET /fhir/Task", TaskView.patientsOf(page.tasks()));
        for (var task : page.tasks()) {
            bundle.addEntry().setFullUrl(base + "Task/" + task.id())
                    .setResource(FhirTasks.toFhir(task, hospital, null))
                    .getSearch().setMode(SearchEntryMode.MATCH);
        }
        bundle.addLink().setRelation("self").setUrl(link(base, params, offset));
        if (offset + count < page.total()) {
            bundle.addLink().setRelation("next").setUrl(link(base, params, offset + count));
        }
        if (offset > 0) {
            bundle.addLink().setRelation("previous").setUrl(link(base, params, Math.max(0, offset - count)));
        }
        return bundle;
    }

    /**
     * A Subscription's {@code criteria} ({@code Task} or {@code Task?name=value&...}): the search parameters that
     * say which tasks, read as a search reads them; paging and formats have no meaning there and are refused, as is a
     * status Pagerless never uses (it would never match). Errors name {@code Subscription.criteria}.
     */
    public TaskSearch subscriptionCriteria(String criteria) {
        String query;
        if (criteria == null || !(criteria.equals("Task") || criteria.startsWith("Task?"))) {
            throw new InvalidRequest("Subscription.criteria", "must be Task or Task?<search parameters>");
        }
        query = criteria.length() > 5 ? criteria.substring(5) : "";
        MultivaluedMap<String, String> params = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!KNOWN.contains(name) || name.startsWith("_")) {
                throw new InvalidRequest("Subscription.criteria", "'" + name + "' is not a supported criterion "
                        + "(status, owner, requester, patient:identifier, priority, ward)");
            }
            params.add(name, value);
        }
        try {
            TaskSearch search = criteria(params, null, referenceData.hospital());
            if (params.containsKey("status") && search.statuses().isEmpty()) {
                throw new InvalidRequest("status", "no Pagerless task ever has that status");
            }
            return search;
        } catch (InvalidRequest e) {
            var v = e.violations().get(0);
            throw new InvalidRequest("Subscription.criteria", v.field() + ": " + v.reason());
        }
    }

    /** The search parameters (not paging) as a {@link TaskSearch}; a clinician's is limited to their own tasks. */
    private static TaskSearch criteria(MultivaluedMap<String, String> params, TaskAccess.Visibility visible,
                                        Hospital hospital) {
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        for (String code : values(params, "status")) {
            statuses.addAll(statuses(code));
        }
        String ward = one(params, "ward");
        String wardId = ward == null ? null : hospital.ward(ward)
                .orElseThrow(() -> new InvalidRequest("ward", "unknown ward '" + ward + "'")).id();
        String priorityCode = one(params, "priority");
        Priority priority = priorityCode == null ? null : Priority.fromCode(priorityCode)
                .orElseThrow(() -> new InvalidRequest("priority", "must be one of routine, urgent, asap, stat"));
        List<Bound> updated = new ArrayList<>();
        for (String value : params.getOrDefault("_lastUpdated", List.of())) {
            updated.add(bound(value));
        }
        return new TaskSearch(statuses, wardId, priority, reference(params, "owner"),
                reference(params, "requester"), nhsNumber(params), updated, visible);
    }

    /** FHIR status codes as ours; codes Pagerless never uses match nothing, unknown codes are refused. */
    private static Set<TaskStatus> statuses(String code) {
        return switch (code) {
            case "requested" -> EnumSet.of(TaskStatus.REQUESTED, TaskStatus.OFFERED);
            case "accepted" -> EnumSet.of(TaskStatus.ACCEPTED);
            case "in-progress" -> EnumSet.of(TaskStatus.IN_PROGRESS);
            case "completed" -> EnumSet.of(TaskStatus.COMPLETED);
            case "cancelled" -> EnumSet.of(TaskStatus.CANCELLED);
            case "failed" -> EnumSet.of(TaskStatus.FAILED);
            case "draft", "received", "rejected", "ready", "on-hold", "entered-in-error" -> EnumSet.noneOf(TaskStatus.class);
            default -> throw new InvalidRequest("status", "'" + code + "' is not a FHIR R4 Task status");
        };
    }

    private static Bound bound(String value) {
        if (value.length() < 3) {
            throw new InvalidRequest("_lastUpdated", "must be a prefix (gt, ge, lt, le) and a date or instant");
        }
        Comparison comparison = switch (value.substring(0, 2)) {
            case "gt" -> Comparison.AFTER;
            case "ge" -> Comparison.AT_OR_AFTER;
            case "lt" -> Comparison.BEFORE;
            case "le" -> Comparison.AT_OR_BEFORE;
            default -> throw new InvalidRequest("_lastUpdated", "must start with gt, ge, lt or le");
        };
        try {
            Instant at = new DateTimeType(value.substring(2)).getValue().toInstant();
            return new Bound(comparison, at);
        } catch (RuntimeException e) {
            throw new InvalidRequest("_lastUpdated", "'" + value.substring(2) + "' is not a FHIR date or instant");
        }
    }

    /** {@code Practitioner/amira.khan}, {@code Device/epr} or a bare id. */
    private static String reference(MultivaluedMap<String, String> params, String name) {
        String value = one(params, name);
        return value == null ? null : value.substring(value.lastIndexOf('/') + 1);
    }

    private static String nhsNumber(MultivaluedMap<String, String> params) {
        String value = one(params, "patient:identifier");
        if (value == null) {
            return null;
        }
        int bar = value.indexOf('|');
        if (bar < 0 || !FhirTasks.NHS_NUMBER.equals(value.substring(0, bar))) {
            throw new InvalidRequest("patient:identifier", "must be " + FhirTasks.NHS_NUMBER + "|<NHS number>");
        }
        String number = value.substring(bar + 1);
        NhsNumber.problem(number).ifPresent(reason -> {
            throw new InvalidRequest("patient:identifier", reason);
        });
        return NhsNumber.normalise(number);
    }

    private static int number(MultivaluedMap<String, String> params, String name, int fallback, int min, int max) {
        String value = one(params, name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name, "must be a whole number from " + min + " to " + max);
        }
    }

    private static List<String> values(MultivaluedMap<String, String> params, String name) {
        return params.getOrDefault(name, List.of()).stream().flatMap(v -> List.of(v.split(",")).stream())
                .map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static String one(MultivaluedMap<String, String> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidRequest(name, "give it once");
        }
        return values.get(0).trim();
    }

    private static String link(String base, MultivaluedMap<String, String> params, int offset) {
        String query = params.entrySet().stream().filter(e -> !e.getKey().equals(OFFSET))
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        return base + "Task?" + (query.isEmpty() ? "" : query + "&") + OFFSET + "=" + offset;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
