package org.pagerless.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.pagerless.platform.Topics;

/**
 * Where an offer's time went: reads the task-command and task-event topics as they are written (no group, every
 * partition from its end) and keeps, for each task, when its first command (the raise) and its first
 * {@code TaskOffered} event were produced (the records' timestamps: the sender's {@code send}, the intake's before its
 * 202, the task processor's after its commit). Beside the benchmark's own send and receive times (its nanoTimes,
 * converted to wall-clock time by readings of both clocks each second) that splits POST → offer on the holder's feed
 * into <b>intake</b> (POST → the raise produced), <b>the task processor</b> (raise produced → offer event produced:
 * the broker's append, the processor's fetch, its transaction and its send) and <b>the live feed</b> (produced →
 * received on the WebSocket). A benchmark-side reader only: the server sees one more consumer's fetches, no group and
 * no commits.
 */
final class OfferStages implements AutoCloseable {
    /**
     * Readings of both clocks (nanoTime → wall-clock milliseconds), one a second from the reader. The benchmark's times
     * are nanoTimes, the records' wall-clock times, and a host whose wall clock is being corrected moves one against
     * the other (a run on stop 64's host looks as if it did): each nanoTime is converted by the reading nearest before
     * it.
     */
    private final ConcurrentSkipListMap<Long, Long> clocks = new ConcurrentSkipListMap<>();

    private final Map<String, Long> raisedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> producedAt = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    OfferStages(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // Only keys, headers and timestamps are read, so the values are left as bytes (with them decoded as text the
        // reader took 6-12% of a core at 400/s: docs/benchmarks.md, stop 50).
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = java.util.stream.Stream.of(Topics.TASK_COMMANDS,
                        Topics.STAT_TASK_COMMANDS, Topics.TASK_EVENTS)
                .flatMap(topic -> consumer.partitionsFor(topic).stream())
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        readClocks();
        reader = new Thread(this::read, "offer-stages");
        reader.setDaemon(true);
        reader.start();
    }

    private void readClocks() {
        clocks.put(System.nanoTime(), System.currentTimeMillis());
    }

    /** A nanoTime as wall-clock milliseconds, by the clocks' reading nearest before it (or the first). */
    long wallMillis(long nanoTime) {
        Map.Entry<Long, Long> at = clocks.floorEntry(nanoTime);
        if (at == null) {
            at = clocks.firstEntry();
        }
        return at.getValue() + (nanoTime - at.getKey()) / 1_000_000;
    }

    /** How far the wall clock has moved against the monotonic one since this reader started, at most, in ms. */
    long clockMovedMillis() {
        Map.Entry<Long, Long> first = clocks.firstEntry();
        return clocks.entrySet().stream()
                .mapToLong(e -> Math.abs((e.getValue() - first.getValue()) - (e.getKey() - first.getKey()) / 1_000_000))
                .max().orElse(0);
    }

    private void read() {
        try {
            long nextClocks = System.nanoTime() + 1_000_000_000L; // the constructor took the first reading
            while (running) {
                if (System.nanoTime() - nextClocks >= 0) {
                    readClocks();
                    nextClocks = System.nanoTime() + 1_000_000_000L;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!record.topic().equals(Topics.TASK_EVENTS)) { // either lane's commands
                        raisedAt.putIfAbsent(record.key(), record.timestamp());
                        continue;
                    }
                    Header type = record.headers().lastHeader(Topics.EVENT_TYPE_HEADER);
                    if (type != null && "TaskOffered".equals(new String(type.value(), StandardCharsets.UTF_8))) {
                        producedAt.putIfAbsent(record.key(), record.timestamp());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /**
     * One line for these tasks (task id → POST sent and offer received, nanoTime): each stage's p50 / p99, and how the
     * slowest 1% of the tasks (by POST → received) split among the three.
     */
    String describe(Map<String, Long> sentAt, Map<String, Long> delivered) {
        Stats intake = new Stats();
        Stats processor = new Stats();
        Stats feed = new Stats();
        record Split(long total, long intake, long processor, long feed) {
        }
        List<Split> splits = new java.util.ArrayList<>();
        sentAt.forEach((task, sent) -> {
            Long received = delivered.get(task);
            Long raised = raisedAt.get(task);
            Long produced = producedAt.get(task);
            if (received != null && raised != null && produced != null) {
                long toRaised = Math.max(0, raised - wallMillis(sent));
                long toProduced = Math.max(0, produced - raised);
                long toReceived = Math.max(0, wallMillis(received) - produced);
                intake.add(toRaised * 1_000_000);
                processor.add(toProduced * 1_000_000);
                feed.add(toReceived * 1_000_000);
                splits.add(new Split(toRaised + toProduced + toReceived, toRaised, toProduced, toReceived));
            }
        });
        splits.sort((a, b) -> Long.compare(b.total(), a.total()));
        List<Split> slowest = splits.isEmpty() ? List.of() : splits.subList(0, Math.max(1, splits.size() / 100));
        long clockMoved = clockMovedMillis();
        return String.format("stages of %d offers, p50 / p99: intake %.0f / %.0f ms, task processor %.0f / %.0f ms, live"
                + " feed %.0f / %.0f ms; the slowest 1%% (%d, from %d ms), on average: intake %.0f, processor %.0f,"
                + " feed %.0f ms%s", splits.size(), intake.percentileMillis(50), intake.percentileMillis(99),
                processor.percentileMillis(50), processor.percentileMillis(99), feed.percentileMillis(50),
                feed.percentileMillis(99), slowest.size(), slowest.isEmpty() ? 0 : slowest.get(slowest.size() - 1).total(),
                slowest.stream().mapToLong(Split::intake).average().orElse(Double.NaN),
                slowest.stream().mapToLong(Split::processor).average().orElse(Double.NaN),
                slowest.stream().mapToLong(Split::feed).average().orElse(Double.NaN),
                clockMoved > 10 ? String.format("; the wall clock moved up to %d ms against the monotonic one during the"
                        + " run (each time converted by the clocks' reading of its second)", clockMoved) : "");
    }

    /**
     * For these tasks (task id → POST sent, nanoTime): POST sent → the task's first TaskOffered in the broker, for each
     * one offered so far. The server's part of an offer, whether or not any live feed was open to see it.
     */
    Stats offered(Map<String, Long> sentAt) {
        Stats offered = new Stats();
        sentAt.forEach((task, sent) -> {
            Long produced = producedAt.get(task);
            if (produced != null) {
                offered.add(Math.max(0, produced - wallMillis(sent)) * 1_000_000);
            }
        });
        return offered;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(5_000);
    }
}
