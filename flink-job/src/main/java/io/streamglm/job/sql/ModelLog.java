package io.streamglm.job.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Scorer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows a model log (a stream or replay output topic, keyed by model id) and keeps the newest converged refit
 * of one model as a {@link Scorer}: a running query scores each row with whatever refit is newest when the row
 * arrives (hot swap), without restarting.
 */
final class ModelLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrap;
    private final String topic;
    private final String modelId;
    private final AtomicReference<Scorer> current = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    ModelLog(String bootstrap, String topic, String modelId) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.modelId = modelId;
        this.thread = new Thread(this::follow, "streamglm-model-log-" + modelId);
        thread.setDaemon(true);
        thread.start();
    }

    /** The newest converged refit so far, waiting up to {@code wait} for the first. */
    Scorer current(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Scorer s = current.get();
        while (s == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            s = current.get();
        }
        return s;
    }

    private void follow() {
        var config = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || !modelId.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        continue;
                    }
                    try {
                        JsonNode refit = JSON.readTree(r.value());
                        if (refit.path("converged").asBoolean(false)) {
                            current.set(new Scorer(ModelFile.read(ModelFile.fromRefitRecord(refit).toString(),
                                    topic + "/" + r.partition() + "/" + r.offset())));
                        }
                    } catch (Exception e) {
                        LOG.warn("model log {}: record at offset {} skipped: {}", topic, r.offset(), e.getMessage());
                    }
                }
            }
        } catch (Exception e) {
            if (running) {
                LOG.warn("model log {} stopped: {}", topic, e.getMessage());
            }
        }
    }

    @Override public void close() {
        running = false;
    }
}
