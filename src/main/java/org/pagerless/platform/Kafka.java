package org.pagerless.platform;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.event.Observes;

/**
 * The broker connection: creates our topics at start, owns the three producers (all {@code acks=all}, idempotent) and
 * hands out consumers. See ADR 0003 for why we use the Kafka clients directly, ADR 0042 for the first two: one for
 * people waiting on an answer (intake, a clinician's action), one for the consumers' batches, so that a {@code 202}
 * never waits in the buffer behind a processor batch; and ADR 0083 for the third, the background one (the integration
 * stream), so that no page's records wait behind output nobody on its path needs.
 */
@ApplicationScoped
public class Kafka {
    private static final Logger LOG = Logger.getLogger(Kafka.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "pagerless.kafka.partitions", defaultValue = "6")
    int partitions;

    @ConfigProperty(name = "pagerless.kafka.replication-factor", defaultValue = "1")
    short replicationFactor;

    /**
     * How long the group waits for a silent member (a pod killed outright, a standalone run killed and started again)
     * before its partitions go to the others: commands on them wait that long to be raised. 10 s, not Kafka's 45 s
     * (ADR 0090).
     */
    @ConfigProperty(name = "pagerless.kafka.session-timeout", defaultValue = "10s")
    java.time.Duration sessionTimeout;

    @ConfigProperty(name = "pagerless.kafka.send-timeout", defaultValue = "10s")
    java.time.Duration sendTimeout;

    /**
     * How long the batches' producer (the consumers' output: task events, notifications, thread lines, conversation
     * events) holds a record to send it with others in one produce request (linger.ms; ADR 0066). Every consumer
     * shares it, so at busy times one request carries several groups' batches.
     */
    @ConfigProperty(name = "pagerless.kafka.batch-linger", defaultValue = "5ms")
    java.time.Duration batchLinger;

    /** As {@link #batchLinger}, for the producer someone waits on (a {@code 202}): kept short (ADR 0066). */
    @ConfigProperty(name = "pagerless.kafka.answer-linger", defaultValue = "2ms")
    java.time.Duration answerLinger;

    /**
     * How the batches' producer compresses what it sends ({@code compression.type}: lz4, zstd, gzip, snappy or none;
     * ADR 0084). Every task event carries the task as it now is, and five consumer groups read each one: compressed,
     * the broker stores and serves a fraction of the bytes. The answers' producer (what someone waits on: a bleep's
     * command, a post; one record a batch, for which the client's lz4 allocates two 64 kB arrays to save a few hundred
     * bytes; ADR 0091), the background producer (the outbound integration stream, read by other systems' clients) and
     * the dead letters never compress.
     */
    @ConfigProperty(name = "pagerless.kafka.compression", defaultValue = "lz4")
    String compression;

    @Inject
    org.eclipse.microprofile.config.Config config;

    /** How long a caller waiting on an answer (intake) waits for the broker before being told 503, retry. */
    @ConfigProperty(name = "pagerless.kafka.accept-timeout", defaultValue = "2s")
    java.time.Duration acceptTimeout;

    /**
     * The one thread that calls the producer's {@code send} for {@link #sendAsync}: a send is microseconds unless the
     * broker is unreachable, when it blocks here instead of on a caller's thread. At most 10,000 sends wait.
     */
    private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(10_000), runnable -> {
                Thread t = new Thread(runnable, "kafka-sender");
                t.setDaemon(true);
                return t;
            });

    /**
     * Times out {@link #offer}s. One thread, and a timeout is cancelled (and removed) once the broker answers:
     * {@code CompletableFuture.delayedExecutor} would start a new thread per bleep on a 2-core machine (the common
     * pool has parallelism 1 there, so CompletableFuture runs each delayed task on a thread of its own).
     */
    private final ScheduledThreadPoolExecutor acceptTimer = acceptTimer();

    private static ScheduledThreadPoolExecutor acceptTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "kafka-accept-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The consumers' batches ({@link #send}): the task processor's events, the planner's notifications... */
    private volatile KafkaProducer<String, String> producer;
    /** Sends someone is waiting on ({@link #sendAsync}, {@link #offer}, {@link #sendAndWait}): never behind a batch. */
    private volatile KafkaProducer<String, String> answering;
    /**
     * Output nobody on a page's path waits for ({@link #sendBackground}: the outbound integration stream, every task
     * event again): never in the page path's produce requests (ADR 0083).
     */
    private volatile KafkaProducer<String, String> background;

    /**
     * The start's topic check's client, kept for readiness ({@link #brokers}): one connection, made at start.
     * Package-private for BrokerHealthTest, which points it at a port nobody listens on.
     */
    volatile Admin admin;

    private Properties base(String bootstrapKey) {
        return KafkaClientSettings.common(key -> config.getOptionalValue(key, String.class), bootstrapKey,
                bootstrapServers);
    }

    /**
     * Creates the topics that are missing (none in production, where the Topic Operator owns them) and the producers.
     * The producers are built while the broker answers the admin's list of topics: on a start's main thread both
     * were in turn (~0.1 s each); a producer needs no topic to exist until it sends. The admin client stays open for
     * {@link #brokers}.
     */
    void createTopics(@Observes @Priority(1) StartupEvent start) throws Exception {
        admin = Admin.create(base(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        KafkaFuture<Set<String>> listed = admin.listTopics().names();
        producer = new KafkaProducer<>(producerProperties("pagerless-batches", batchLinger, compression));
        answering = new KafkaProducer<>(producerProperties("pagerless-answers", answerLinger));
        background = new KafkaProducer<>(producerProperties("pagerless-background", batchLinger));
        Set<String> existing = listed.get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : List.of(Topics.TASK_COMMANDS, Topics.STAT_TASK_COMMANDS, Topics.TASK_EVENTS,
                Topics.NOTIFICATIONS, Topics.INTAKE, Topics.INTAKE_DLQ, Topics.ROTA_EVENTS,
                Topics.CONVERSATION_COMMANDS, Topics.CONVERSATION_EVENTS, Topics.INTEGRATION_EVENTS)) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, partitions, replicationFactor));
            }
        }
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * The brokers the cluster answers with ({@code host:port}, comma-separated), asked on the connection the start's
     * topic check opened: a broker round trip. Throws if no answer comes within {@code timeout}, or the start has not
     * connected yet.
     */
    public String brokers(java.time.Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        Admin connected = admin;
        if (connected == null) {
            throw new TimeoutException("not connected yet");
        }
        StringBuilder nodes = new StringBuilder();
        for (Node node : connected.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            nodes.append(nodes.isEmpty() ? "" : ",").append(node.host()).append(':').append(node.port());
        }
        return nodes.toString();
    }

    void close(@Observes ShutdownEvent stop) {
        sender.shutdown();
        acceptTimer.shutdownNow();
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
        for (KafkaProducer<String, String> p : java.util.Arrays.asList(producer, answering, background)) {
            if (p != null) {
                p.close(java.time.Duration.ofSeconds(5));
            }
        }
    }

    /**
     * An idempotent {@code acks=all} producer's settings, its batches uncompressed: for records other systems' clients
     * read (the integration stream, dead letters) and for the drill.
     */
    Properties producerProperties(String clientId, java.time.Duration linger) {
        return producerProperties(clientId, linger, "none");
    }

    /** As {@link #producerProperties(String, java.time.Duration)}, its batches compressed by {@code compression}. */
    Properties producerProperties(String clientId, java.time.Duration linger, String compression) {
        Properties props = base(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(sendTimeout.toMillis(), 5000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) sendTimeout.toMillis());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    /**
     * A consumer of raw bytes (keys as arrays, values as the client's own buffer, not copied): {@link ConsumerLoop}
     * decodes them itself, so a record that is not text is parked with its original bytes rather than silently
     * mangled. Reading the value where the client put it spares a copy of every record for every group that reads
     * it. {@code groupId} null means the caller assigns partitions itself.
     */
    KafkaConsumer<byte[], ByteBuffer> consumer(String groupId, String clientId, int maxPollRecords) {
        return consumer(groupId, clientId, maxPollRecords, 1, java.time.Duration.ofMillis(500));
    }

    /**
     * As above, with the fetch's patience: the broker answers a fetch once it has {@code minBytes} for it or
     * {@code maxWait} has passed (the client's defaults are 1 byte and 500 ms: every record at once).
     */
    KafkaConsumer<byte[], ByteBuffer> consumer(String groupId, String clientId, int maxPollRecords, int minBytes,
            java.time.Duration maxWait) {
        Properties props = base(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, minBytes);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) maxWait.toMillis());
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(3000, sessionTimeout.toMillis() / 3));
        }
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    /** Sends without waiting; the caller waits on the futures (see {@link #awaitAll}). */
    public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return producer.send(record);
    }

    /** As {@link #send}, on the background producer: for output no page waits on (the integration stream). */
    public Future<RecordMetadata> sendBackground(ProducerRecord<String, String> record) {
        return background.send(record);
    }

    /**
     * Sends without blocking the caller, ever: the producer's {@code send} (which waits up to the send timeout for the
     * broker's metadata or buffer space when the broker is unreachable) runs on this class's own sender thread, never
     * on the caller's (a Vert.x I/O thread must not wait). Completes when the broker has acknowledged the record, or
     * exceptionally with {@link BrokerUnavailable} when it has not within the send timeout.
     */
    public CompletableFuture<RecordMetadata> sendAsync(ProducerRecord<String, String> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                try {
                    answering.send(record, (metadata, error) -> {
                        if (error == null) {
                            acked.complete(metadata);
                        } else {
                            LOG.warnf("broker did not acknowledge a send: %s", Failures.describe(error));
                            acked.completeExceptionally(new BrokerUnavailable(error));
                        }
                    });
                } catch (RuntimeException e) {
                    acked.completeExceptionally(new BrokerUnavailable(e));
                }
            });
        } catch (RejectedExecutionException e) {
            // Thousands of sends already waiting for an unreachable broker: refuse at once rather than queue more.
            acked.completeExceptionally(new BrokerUnavailable(e));
        }
        return acked;
    }

    /**
     * For a person or system waiting on the answer (intake): as {@link #sendAsync}, but completes within the accept
     * timeout ({@code pagerless.kafka.accept-timeout}, 2 s), exceptionally with {@link BrokerUnavailable} if the
     * broker has not acknowledged by then. The record may still reach the broker afterwards, so the caller's retry
     * must carry the same idempotency key (it then names the same task, raised once).
     */
    public CompletableFuture<RecordMetadata> offer(ProducerRecord<String, String> record) {
        CompletableFuture<RecordMetadata> answer = new CompletableFuture<>();
        sendAsync(record).whenComplete((metadata, error) -> {
            if (error == null) {
                answer.complete(metadata);
            } else {
                answer.completeExceptionally(error);
            }
        });
        ScheduledFuture<?> timeout = acceptTimer.schedule(() -> answer.completeExceptionally(new BrokerUnavailable(
                new TimeoutException("not acknowledged within " + acceptTimeout.toMillis() + " ms"))),
                acceptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((metadata, error) -> timeout.cancel(false));
        return answer;
    }

    /**
     * Fault drill: until the returned handle is closed, every send (on the three producers) goes to a producer
     * pointed at {@code bootstrapServers} (e.g. an address where no broker listens), as if the broker had become
     * unreachable; closing it puts the real producers back and fails whatever the drill producer still held. For the
     * flow tests and the fault-injection harness.
     */
    public AutoCloseable drillBrokerAt(String bootstrapServers) {
        KafkaProducer<String, String> realBatches = producer;
        KafkaProducer<String, String> realAnswers = answering;
        KafkaProducer<String, String> realBackground = background;
        Properties props = producerProperties("pagerless-drill", answerLinger);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        KafkaProducer<String, String> drill = new KafkaProducer<>(props);
        producer = drill;
        answering = drill;
        background = drill;
        return () -> {
            producer = realBatches;
            answering = realAnswers;
            background = realBackground;
            drill.close(java.time.Duration.ZERO);
        };
    }

    /** Sends and waits for the broker's acknowledgement (all in-sync replicas). */
    public void sendAndWait(ProducerRecord<String, String> record) {
        awaitAll(List.of(sendAsync(record)));
    }

    /** Waits for every send to be acknowledged; throws {@link BrokerUnavailable} if any was not. */
    public void awaitAll(List<? extends Future<?>> sends) {
        try {
            for (Future<?> send : sends) {
                send.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailable(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BrokerUnavailable unavailable ? unavailable : new BrokerUnavailable(e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerUnavailable(e);
        }
    }

    /** The broker did not take a record; nothing was accepted. */
    public static class BrokerUnavailable extends RuntimeException {
        public BrokerUnavailable(Throwable cause) {
            super("the message broker did not acknowledge the request", cause);
        }
    }
}
