package org.pagerless.task;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.pagerless.platform.Jdbc;
import org.pagerless.task.model.Priority;
import org.pagerless.task.model.Task;
import org.pagerless.task.model.TaskEvent;
import org.pagerless.task.model.TaskKind;
import org.pagerless.task.model.TaskStatus;
import org.pagerless.task.model.WaitingAge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Reads for pages and the API. Never writes: only the task processor does. */
@ApplicationScoped
public class TaskQueries {
    /** Most urgent first, then oldest first. */
    private static final String URGENCY_ORDER =
            " order by array_position(array['STAT','ASAP','URGENT','ROUTINE'], priority), raised_at";

    @Inject
    Jdbc jdbc;
    @Inject
    TaskCodec codec;

    public Optional<Task> find(UUID id) {
        List<Task> found = tasks("select state from task where id = ?", id);
        return found.stream().findFirst();
    }

    /** These tasks (those that exist), in no particular order. */
    public List<Task> find(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return tasks("select state from task where id = any (?::uuid[])", (Object) ids.stream().map(UUID::toString)
                .toArray(String[]::new));
    }

    /**
     * A SQL condition for another feature's statement (the task feature's read API, ADR 0007): true while the task
     * whose id is in column {@code taskId} is offered to the person whose staff id is in column {@code staffId}; false
     * once it is taken, finished or unknown. Read from the task's indexed columns: no state is decoded. The delivery
     * lanes ask it inside their claim statement, so a claim's still-needed check costs no query of its own.
     * <p>
     * The task is found by its id alone and only then is its status looked at: with the status in the lookup's
     * condition, PostgreSQL could choose the {@code (status, raised_at)} index and read every offered task for each row
     * (it did where its statistics had few offered tasks: ~100 index entries a claimed row in the benchmarks;
     * ClaimReadsTest).
     */
    public static String offeredToSql(String taskId, String staffId) {
        return "coalesce((select t.status = 'OFFERED' and " + staffId + " = any (t.offered_to) from task t where t.id = "
                + taskId + "), false)";
    }

    /** What {@code staffId} must act on: offered to them and not yet taken, or owned by them and not done. */
    public List<Task> inbox(String staffId) {
        return tasks("select state from task where ((status in ('REQUESTED','OFFERED') and offered_to @> array[?]::text[])"
                + " or (owner = ? and status in ('ACCEPTED','IN_PROGRESS')))" + URGENCY_ORDER, staffId, staffId);
    }

    /** Tasks someone has taken and not finished (accepted or in progress), most urgent first. */
    public List<Task> owned() {
        return tasks("select state from task where owner is not null and status in ('ACCEPTED','IN_PROGRESS')"
                + URGENCY_ORDER);
    }

    /**
     * Open tasks addressed to the role {@code roleId} that {@code staffId} is offered or owns: what they hand over
     * when they stop holding it.
     */
    public List<Task> heldFor(String roleId, String staffId) {
        return tasks("select state from task where target_type = 'ROLE' and target_id = ?"
                + " and status in ('REQUESTED','OFFERED','ACCEPTED','IN_PROGRESS')"
                + " and (owner = ? or offered_to @> array[?]::text[])" + URGENCY_ORDER, roleId, staffId, staffId);
    }

    /** Tasks by optional status, ward and priority; {@code involving} limits to one person's tasks. */
    public List<Task> list(TaskStatus status, String wardId, Priority priority, String involving, int limit) {
        return listVisible(status, wardId, priority,
                involving == null ? TaskAccess.Visibility.ALL : new TaskAccess.Visibility(involving, null), limit);
    }

    /** Tasks by optional status, ward and priority, of those {@code visible} to a caller ({@link TaskAccess}). */
    public List<Task> listVisible(TaskStatus status, String wardId, Priority priority,
                                  TaskAccess.Visibility visible, int limit) {
        StringBuilder sql = new StringBuilder("select state from task where true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status.name());
        }
        if (wardId != null) {
            sql.append(" and ward_id = ?");
            args.add(wardId);
        }
        if (priority != null) {
            sql.append(" and priority = ?");
            args.add(priority.name());
        }
        visibleTo(visible, sql, args);
        sql.append(URGENCY_ORDER).append(" limit ?");
        args.add(limit);
        return tasks(sql.toString(), args.toArray());
    }

    /** One page of the tasks matching {@code search}, most urgent first (then oldest, then by id: a stable order). */
    public TaskSearch.Page search(TaskSearch search, int offset, int limit) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (!search.statuses().isEmpty()) {
            where.append(" and status = any (?)");
            args.add(search.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (search.wardId() != null) {
            where.append(" and ward_id = ?");
            args.add(search.wardId());
        }
        if (search.priority() != null) {
            where.append(" and priority = ?");
            args.add(search.priority().name());
        }
        if (search.owner() != null) {
            where.append(" and owner = ?");
            args.add(search.owner());
        }
        if (search.requester() != null) {
            where.append(" and requester = ?");
            args.add(search.requester());
        }
        if (search.nhsNumber() != null) {
            where.append(" and state -> 'details' -> 'patient' ->> 'nhsNumber' = ?");
            args.add(search.nhsNumber());
        }
        for (TaskSearch.Bound bound : search.updated()) {
            where.append(" and updated_at ").append(bound.comparison().sql).append(" ?");
            args.add(java.sql.Timestamp.from(bound.at()));
        }
        visibleTo(search.visible(), where, args);
        int[] total = new int[1];
        jdbc.forEachRow("select count(*) from task" + where, rs -> total[0] = rs.getInt(1), args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(limit);
        pageArgs.add(offset);
        List<Task> tasks = tasks("select state from task" + where + URGENCY_ORDER + ", id limit ? offset ?",
                pageArgs.toArray());
        return new TaskSearch.Page(tasks, total[0]);
    }

    /** Tasks of these kinds raised since {@code since}, newest first: what switchboard has sent lately. */
    public List<Task> raisedSince(List<TaskKind> kinds, Instant since, int limit) {
        return tasks("select state from task where kind = any (?::text[]) and raised_at >= ?"
                + " order by raised_at desc limit ?", kinds.stream().map(Enum::name).toArray(String[]::new),
                Timestamp.from(since), limit);
    }

    /** Tasks closed ({@code statuses}) since {@code since}, on one ward if given, most recently closed first. */
    public List<Task> closedSince(List<TaskStatus> statuses, String wardId, Instant since, int limit) {
        String[] names = statuses.stream().map(Enum::name).toArray(String[]::new);
        Timestamp from = Timestamp.from(since);
        return wardId == null
                ? tasks("select state from task where status = any (?::text[]) and updated_at >= ?"
                        + " order by updated_at desc limit ?", names, from, limit)
                : tasks("select state from task where status = any (?::text[]) and updated_at >= ? and ward_id = ?"
                        + " order by updated_at desc limit ?", names, from, wardId, limit);
    }

    /**
     * How many open tasks wait for someone to accept them (requested or offered), by priority and how long they have
     * waited at {@code now}; every priority and band is there, 0 if none. Broadcasts (acknowledged, never accepted)
     * and fyi tasks (nobody need accept them) are left out. Counted in the database, on the bands' cut-offs from
     * {@link WaitingAge#raisedAfter}: one row per priority and band comes back, however many tasks are open.
     */
    public Map<Priority, Map<WaitingAge, Integer>> waitingForAcceptance(Instant now) {
        List<Instant> cutOffs = WaitingAge.raisedAfter(now);
        StringBuilder band = new StringBuilder("case");
        for (int i = 0; i < cutOffs.size(); i++) {
            band.append(" when raised_at > ? then ").append(i);
        }
        band.append(" else ").append(cutOffs.size()).append(" end");
        Map<Priority, Map<WaitingAge, Integer>> counts = WaitingAge.none();
        jdbc.forEachRow("select priority, " + band + " as band, count(*) from task where status in ('REQUESTED','OFFERED')"
                + " and not fyi and kind <> 'BROADCAST' group by 1, 2",
                rs -> counts.get(Priority.valueOf(rs.getString(1))).put(WaitingAge.values()[rs.getInt(2)], rs.getInt(3)),
                cutOffs.toArray());
        return counts;
    }

    /** Every event of the task, oldest first: the audit trail. */
    public List<TaskEvent> timeline(UUID taskId) {
        List<TaskEvent> events = new ArrayList<>();
        jdbc.forEachRow("select payload from task_event where task_id = ? order by seq",
                rs -> events.add(codec.event(rs.getString(1))), taskId);
        return events;
    }

    /**
     * The people of a task as its thread counts them, in the order they came: its requester, everyone any of its
     * events offered or handed it to (oldest event first), whom it is offered to now, its owner; with its ward and
     * what its thread is called. Read from the task's columns and its events' JSON in the database: no state or event
     * is decoded here.
     */
    public record People(UUID taskId, String kind, String type, Instant raisedAt, String wardId, List<String> staff) {
        public People {
            staff = List.copyOf(staff);
        }
    }

    /** {@link People} of each of these tasks (those that exist), in one query. */
    public java.util.Map<UUID, People> people(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, People> people = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return people;
        }
        jdbc.forEachRow("""
                select t.id, t.kind, t.state #>> '{details,type}', t.raised_at, t.ward_id, t.requester,
                       array(select p.who
                               from task_event e
                               cross join lateral (select e.payload -> (case e.type when 'TaskHandedOver' then 'toStaff'
                                                                         else 'offeredTo' end) as list) l
                               cross join lateral jsonb_array_elements_text(case jsonb_typeof(l.list)
                                   when 'array' then l.list else '[]'::jsonb end) with ordinality as p(who, n)
                              where e.task_id = t.id and p.who is not null
                                and e.type in ('TaskOffered', 'TaskReassigned', 'TaskHandedOver', 'BroadcastRealerted')
                              order by e.seq, p.n),
                       t.offered_to, t.owner
                  from task t
                 where t.id = any (?::uuid[])
                """, rs -> {
                    List<String> staff = new ArrayList<>();
                    if (rs.getString(6) != null) {
                        staff.add(rs.getString(6));
                    }
                    staff.addAll(List.of((String[]) rs.getArray(7).getArray()));
                    staff.addAll(List.of((String[]) rs.getArray(8).getArray()));
                    if (rs.getString(9) != null) {
                        staff.add(rs.getString(9));
                    }
                    UUID id = rs.getObject(1, UUID.class);
                    people.put(id, new People(id, rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getString(5), staff));
                },
                (Object) ids.stream().distinct().map(UUID::toString).toArray(String[]::new));
        return people;
    }

    /**
     * The NHS number of each of these tasks that has a patient (empty if the patient has none given), in one query,
     * read from the task's JSON in the database without decoding it. Patient data: for the read audit only.
     */
    public java.util.Map<UUID, Optional<String>> nhsNumbers(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, Optional<String>> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.forEachRow("select id, state #>> '{details,patient,nhsNumber}' from task where id = any (?::uuid[])"
                + " and jsonb_typeof(state #> '{details,patient}') = 'object'",
                rs -> found.put(rs.getObject(1, UUID.class), Optional.ofNullable(rs.getString(2))),
                (Object) ids.stream().distinct().map(UUID::toString).toArray(String[]::new));
        return found;
    }

    /**
     * The tasks by id, with their status: the status is looked at after (in {@link #offeredNow}), so PostgreSQL can
     * only find them by their key. With {@code status = 'OFFERED'} in the condition it chose the {@code (status,
     * raised_at)} index whenever its statistics had few offered tasks, and read every offered task for each planning
     * batch (1,162 for 23 in a benchmark round; OfferedNowTest).
     */
    static final String BY_ID_WITH_OFFER = "select id, status, offered_to from task where id = any (?::uuid[])";

    /**
     * Who each of these tasks is offered to now, by task id, in one query; a task not waiting on an offer is absent
     * (as {@link #offeredToSql} decides it for one person).
     */
    public java.util.Map<UUID, java.util.Set<String>> offeredNow(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, java.util.Set<String>> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.forEachRow(BY_ID_WITH_OFFER, rs -> {
            if ("OFFERED".equals(rs.getString(2))) {
                found.put(rs.getObject(1, UUID.class),
                        new java.util.HashSet<>(java.util.Arrays.asList((String[]) rs.getArray(3).getArray())));
            }
        }, (Object) ids.stream().distinct().map(UUID::toString).toArray(String[]::new));
        return found;
    }

    /** Whether {@code staffId} has ever been offered, owned or requested the task (they may then see it). */
    public boolean involved(UUID taskId, String staffId) {
        List<Boolean> found = new ArrayList<>();
        jdbc.forEachRow("select 1 from task where id = ? and (requester = ? or owner = ? or offered_to @> array[?]::text[]"
                + " or exists (select 1 from task_event e where e.task_id = task.id and e.type = 'TaskOffered'"
                + " and jsonb_exists(e.payload -> 'offeredTo', ?)))", rs -> found.add(true),
                taskId, staffId, staffId, staffId, staffId);
        return !found.isEmpty();
    }

    /** The allow-list of {@link TaskAccess}: raised by, offered to or owned by the person, or on a ward in scope. */
    private static void visibleTo(TaskAccess.Visibility visible, StringBuilder sql, List<Object> args) {
        if (visible == null || visible.everything()) {
            return;
        }
        sql.append(" and (requester = ? or owner = ? or offered_to @> array[?]::text[] or ward_id = any (?))");
        args.add(visible.person());
        args.add(visible.person());
        args.add(visible.person());
        args.add(visible.wards().toArray(String[]::new));
    }

    private List<Task> tasks(String sql, Object... args) {
        List<Task> tasks = new ArrayList<>();
        jdbc.forEachRow(sql, rs -> tasks.add(codec.task(rs.getString(1))), args);
        return tasks;
    }

}
