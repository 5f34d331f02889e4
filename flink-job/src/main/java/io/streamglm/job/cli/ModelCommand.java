package io.streamglm.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamglm.engine.model.ModelFile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code streamglm model}: model files from output records. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Model files from stream or replay output.",
        subcommands = {ModelCommand.Export.class})
public final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code streamglm model export}: the newest converged refit of a model as a model file. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the newest converged refit of a model from an output topic (or a replay's"
                    + " JSON-lines file) as a model file.")
    public static final class Export implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (with --topic)")
        String bootstrapServers;

        @Option(names = "--topic", description = "the output topic used as a model log")
        String topic;

        @Option(names = "--from-file", description = "a replay's output (one refit per line) instead of a topic")
        Path fromFile;

        @Option(names = "--model", required = true, description = "model id, e.g. freq or freq/North")
        String model;

        @Option(names = "--out", required = true, description = "model file to write")
        Path out;

        @Override public Integer call() throws Exception {
            List<JsonNode> refits = fromFile != null ? fromFile() : fromTopic();
            JsonNode newest = null;
            for (JsonNode r : refits) {
                if (model.equals(r.path("model").asText()) && r.path("converged").asBoolean(false)) {
                    newest = r; // records come in order: the last converged one is the newest
                }
            }
            if (newest == null) {
                throw new UsageException("no converged refit of model '" + model + "' in "
                        + (fromFile != null ? fromFile.toString() : topic) + " (" + refits.size() + " records read)");
            }
            AtomicFiles.writeString(out, ModelFile.fromRefitRecord(newest).toPrettyString() + "\n");
            System.err.printf("wrote %s from refit %s (%d rows)%n", out, newest.path("refit").asText(),
                    newest.path("rows").asLong());
            return 0;
        }

        private List<JsonNode> fromFile() throws Exception {
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(fromFile)) {
                if (!line.isBlank()) {
                    out.add(json.readTree(line));
                }
            }
            return out;
        }

        private List<JsonNode> fromTopic() throws Exception {
            if (bootstrapServers == null || topic == null) {
                throw new UsageException("give --bootstrap-servers and --topic, or --from-file");
            }
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> out = new ArrayList<>();
            var config = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(300))) {
                        if (r.key() != null && model.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                            out.add(json.readTree(r.value()));
                        }
                    }
                    boolean done = true;
                    for (TopicPartition tp : partitions) {
                        done &= consumer.position(tp) >= end.get(tp);
                    }
                    if (done) {
                        break;
                    }
                }
            }
            return out;
        }
    }
}
