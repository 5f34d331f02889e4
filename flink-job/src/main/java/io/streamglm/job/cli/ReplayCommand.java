package io.streamglm.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.engine.model.ResultJson;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecException;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.replay.InputFiles;
import io.streamglm.job.replay.ProgressDisplay;
import io.streamglm.job.replay.ReplayJobException;
import io.streamglm.job.replay.ReplayJob;
import io.streamglm.job.replay.ReplayOutput;
import io.streamglm.job.stream.FixedOffsets;
import io.streamglm.job.stream.StreamOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code streamglm replay}: refits over history in a bounded Flink job (BATCH execution), over files or a range of
 * a topic. Windows are fitted as the stream fits them; {@code --window all} over files is a driver loop of
 * distributed passes, equal to {@code streamglm fit} on the same rows.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Refit a GLM over historical records (files or a topic range) in a bounded Flink job.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--data", description = "CSV (with a header) or JSON-lines file, or a glob of them")
    String data;

    @Option(names = "--input-topic", description = "replay this topic instead of files (needs --bootstrap-servers)")
    String inputTopic;

    @Option(names = "--from", defaultValue = "earliest",
            description = "topic start: earliest, offset:N, or a time (ISO-8601 or epoch ms) (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to", defaultValue = "latest",
            description = "topic end (exclusive): latest, offset:N, or a time (default ${DEFAULT-VALUE})")
    String to;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers, host:port")
    String bootstrapServers;

    @Option(names = "--spec", required = true, description = "model spec JSON")
    Path spec;

    @Option(names = {"--time-column", "--time-field"}, description = "event-time column (epoch ms or ISO-8601)")
    String timeField;

    @Option(names = "--key-field", description = "field whose values each get a model of their own")
    String keyField;

    @Option(names = "--window", defaultValue = "all",
            description = "tumbling:30d, sliding:90d/30d or all (default ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--out", required = true, description = "refit records, one JSON object per line")
    Path out;

    @Option(names = "--output-topic", description = "also write the refits to this topic, in one transaction")
    String outputTopic;

    @Option(names = "--dead-letters", description = "write records that cannot be used here (JSON lines)")
    Path deadLetters;

    @Option(names = "--model", description = "use this fitted model file's frozen design")
    Path model;

    @Option(names = "--design-data", description = "fit levels and knots on this CSV sample")
    Path designData;

    @Option(names = "--model-name", description = "model id in output records (default: the spec's \"model\")")
    String modelName;

    @Option(names = "--parallelism", description = "task slots (default: the machine's cores)")
    Integer parallelism;

    @Option(names = "--jobmanager", description = "run on a Flink session cluster at host:port (REST)")
    String jobManager;

    @Option(names = "--kafka-property", description = "Kafka client property k=v (repeatable)")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--no-progress", description = "do not show progress")
    boolean noProgress;

    @Option(names = "--row-memory", paramLabel = "SIZE", description = "heap the workers of --window all may keep"
            + " the encoded rows in, all together, e.g. 2g (default: half the heap); beyond it each pass reads the"
            + " input again, so data larger than memory is replayed with the same result")
    String rowMemory;

    @Option(names = "--timings", description = "print the time of each distributed pass (--window all)")
    boolean timings;

    @Override public Integer call() throws Exception {
        if ((data == null) == (inputTopic == null)) {
            throw new UsageException("give either --data FILE_OR_GLOB or --input-topic TOPIC");
        }
        if ((inputTopic != null || outputTopic != null) && bootstrapServers == null) {
            throw new UsageException("--input-topic and --output-topic need --bootstrap-servers host:port");
        }
        WindowSpec windows = window.equalsIgnoreCase("all") ? null : WindowSpec.parse(window);
        if (windows != null && !windows.timeBased()) {
            throw new UsageException("--window " + window + ": a replay refits tumbling or sliding windows, or all");
        }
        if (windows != null && timeField == null && data != null) {
            throw new UsageException("--window " + window + " needs --time-column: files have no record time");
        }
        long rowMemoryBytes;
        try {
            rowMemoryBytes = rowMemory == null ? 0 : org.apache.flink.configuration.MemorySize.parse(rowMemory).getBytes();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--row-memory " + rowMemory + ": give a size such as 512m or 4g");
        }
        if (rowMemory != null && rowMemoryBytes <= 0) {
            throw new UsageException("--row-memory " + rowMemory + ": give a size above 0, such as 512m or 4g");
        }
        if (rowMemory != null && (windows != null || keyField != null || data == null)) {
            // windows hold their own rows until fitted; only --window all's workers keep rows between passes
            throw new UsageException("--row-memory applies to --window all over files without --key-field, where"
                    + " workers keep rows between passes; leave it out here");
        }
        int slots = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        if (slots < 1) {
            throw new UsageException("--parallelism must be >= 1");
        }
        String specText = FitCommand.readSpec(spec);
        ModelSpec modelSpec = SpecParser.parse(specText, spec.toString());
        if (modelSpec.penalized() && windows == null) {
            throw new UsageException("--window all: a penalized model over all rows is fitted by streamglm fit;"
                    + " a replay refits penalized models per window (tumbling or sliding)");
        }
        if (inputTopic != null) {
            // the topic's records may be CSV lines: the time and key fields must be among their fields
            StreamOptions.checkCsvHeaderHas(modelSpec, timeField, "--time-column");
            StreamOptions.checkCsvHeaderHas(modelSpec, keyField, "--key-field");
        }
        List<String> files = data == null ? List.of() : InputFiles.expand(data).stream().map(Path::toString).toList();
        long started = System.nanoTime();
        // the embedded cluster starts while the design is learned from the data (both take about a second)
        CompletableFuture<MiniCluster> starting = jobManager != null ? null : CompletableFuture.supplyAsync(() -> {
            try {
                return ReplayJob.startMiniCluster(slots);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded Flink cluster: " + e.getMessage(), e);
            }
        });
        try {
            return replay(modelSpec, specText, files, windows, slots, rowMemoryBytes, starting, started);
        } finally {
            if (starting != null) {
                try {
                    starting.join().close();
                } catch (java.util.concurrent.CompletionException notStarted) {
                    // nothing to close; the cause was reported where the cluster was needed
                }
            }
        }
    }

    /** Runs the replay; a failed job is one line with its cause and exit code 1, not a stack trace. */
    private int replay(ModelSpec modelSpec, String specText, List<String> files, WindowSpec windows, int slots,
                       long rowMemoryBytes, CompletableFuture<MiniCluster> starting, long started) throws Exception {
        DesignChoice design;
        if (model != null) {
            design = DesignChoice.fromModel(model);
        } else if (designData != null) {
            design = DesignChoice.fromSample(modelSpec, designData, "sample");
        } else {
            try {
                design = DesignChoice.fromSpec(modelSpec);
            } catch (SpecException needsData) {
                if (files.size() != 1 || InputFiles.isJsonLines(Path.of(files.get(0)))) {
                    throw new UsageException(needsData.getMessage() + "\nA replay of " + (files.isEmpty()
                            ? "a topic" : files.size() + " files") + " takes levels and knots from --model FILE or"
                            + " --design-data SAMPLE.csv (a single CSV input is used itself, as streamglm fit does)");
                }
                Path file = Path.of(files.get(0));
                long size = java.nio.file.Files.size(file);
                long heap = Runtime.getRuntime().maxMemory();
                if (size > heap / 3) { // its text and its table in memory at once, as streamglm fit reads it
                    throw new UsageException(needsData.getMessage() + "\n" + file + " (" + (size >> 20) + " MB) is"
                            + " too large for this JVM's heap (" + (heap >> 20) + " MB) to learn the design from"
                            + " all of it: give --design-data SAMPLE.csv (rows with every level), --model FILE or the"
                            + " levels and knots in the spec, or raise STREAMGLM_HEAP (the replay itself reads files"
                            + " larger than the heap)");
                }
                design = DesignChoice.fromSample(modelSpec, file, "data");
            }
        }
        String name = modelName != null ? modelName : StreamCommand.specName(specText);
        ReplayJob.Model m = new ReplayJob.Model(modelSpec, design.design(), design.source(), name, timeField, keyField,
                windows);
        String input = data != null ? String.join(",", files) : "kafka:" + inputTopic;

        long designed = System.nanoTime();
        long total = data != null && !noProgress ? InputFiles.countRecords(files.stream().map(Path::of).toList()) : -1;
        AtomicInteger fitted = new AtomicInteger();
        AtomicInteger pass = new AtomicInteger();
        List<String> refits = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        try (ProgressDisplay progress = noProgress ? null : new ProgressDisplay(System.err, total,
                () -> pass.get() > 0 ? "pass " + pass.get() + " done" : fitted.get() + " windows fitted")) {
            StreamExecutionEnvironment env;
            ReplayJob.Driver driver;
            if (jobManager != null) {
                String[] hp = jobManager.split(":");
                String jar = ReplayCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath();
                env = ReplayJob.environment(URI.create("http://" + hp[0] + ":" + hp[1]), slots, jar);
                driver = ReplayJob.Driver.forCluster(hp[0], Integer.parseInt(hp[1]), rowMemoryBytes);
            } else {
                MiniCluster cluster;
                try {
                    cluster = starting.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw (RuntimeException) e.getCause();
                }
                env = ReplayJob.environment(cluster.getRestAddress().get(), slots);
                driver = ReplayJob.Driver.local(rowMemoryBytes);
            }
            if (windows == null && keyField == null && data != null) {
                List<Long> passEnds = new ArrayList<>();
                ReplayJob.AllResult all = ReplayJob.all(env, m, files, driver, n -> {
                    passEnds.add(System.nanoTime());
                    pass.set(n);
                });
                if (timings) {
                    System.err.printf("design: %.2f s%n", (designed - started) / 1e9);
                    long previous = designed;
                    for (int i = 0; i < passEnds.size(); i++) {
                        System.err.printf("pass %d: %.2f s%n", i + 1, (passEnds.get(i) - previous) / 1e9);
                        previous = passEnds.get(i);
                    }
                }
                refits.add(all.refitJson());
                dead.addAll(all.deadLetters());
            } else {
                DataStream<ReplayOutput> outputs;
                if (data != null && ReplayJob.windowsInUnits(m)) {
                    outputs = ReplayJob.windowsOfUnits(env, m, files, input);
                } else {
                    outputs = ReplayJob.windows(data != null ? ReplayJob.fileRecords(env, m, files)
                            : ReplayJob.topicRecords(env, m, new ReplayJob.TopicRange(bootstrapServers, inputTopic,
                                    offsets("--from", from), offsets("--to", to),
                                    StreamCommand.kafkaProperties(kafkaProperties))), m, input);
                }
                try {
                    try (CloseableIterator<ReplayOutput> it = outputs.executeAndCollect("streamglm replay " + name)) {
                        while (it.hasNext()) {
                            ReplayOutput o = it.next();
                            if (o.deadLetter()) {
                                dead.add(o.json());
                            } else {
                                refits.add(o.json());
                                fitted.incrementAndGet();
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new ReplayJobException("the replay job failed: " + JobLaunch.rootCause(e), e);
                }
            }
        }
        List<String> ordered = inOrder(refits);
        AtomicFiles.writeString(out, ordered.isEmpty() ? "" : String.join("\n", ordered) + "\n");
        if (deadLetters != null) {
            AtomicFiles.writeString(deadLetters, dead.isEmpty() ? "" : String.join("\n", dead) + "\n");
        }
        if (outputTopic != null) {
            publish(ordered);
        }
        System.out.printf("replayed %s: %d refits to %s, %d dead letters%s in %.1f s%n", input, ordered.size(), out,
                dead.size(), dead.isEmpty() || deadLetters != null ? "" : " (first: " + dead.get(0) + ")",
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Refits by model, then window start: the file does not depend on the order the job finished windows. */
    private static List<String> inOrder(List<String> refits) {
        record Keyed(String model, long start, String json) {
        }
        List<Keyed> keyed = new ArrayList<>();
        for (String json : refits) {
            try {
                JsonNode n = ResultJson.MAPPER.readTree(json);
                keyed.add(new Keyed(n.path("model").asText(), n.path("window").path("start_ms").asLong(Long.MIN_VALUE),
                        json));
            } catch (Exception e) {
                throw new IllegalStateException("a refit record is not JSON: " + e.getMessage(), e);
            }
        }
        keyed.sort(Comparator.comparing(Keyed::model).thenComparingLong(Keyed::start));
        return keyed.stream().map(Keyed::json).toList();
    }

    /** All refits in one Kafka transaction: a failed replay publishes nothing, a finished one everything once. */
    private void publish(List<String> records) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streamglm-replay-" + UUID.randomUUID());
        config.putAll(StreamCommand.kafkaProperties(kafkaProperties));
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String json : records) {
                String key;
                try {
                    key = ResultJson.MAPPER.readTree(json).path("model").asText();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                producer.send(new ProducerRecord<>(outputTopic, key.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.commitTransaction();
        }
    }

    static OffsetsInitializer offsets(String option, String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("earliest")) {
            return OffsetsInitializer.earliest();
        }
        if (t.equalsIgnoreCase("latest")) {
            return OffsetsInitializer.latest();
        }
        try {
            if (t.startsWith("offset:")) {
                return new FixedOffsets(Long.parseLong(t.substring(7)));
            }
            if (t.matches("\\d+")) {
                return OffsetsInitializer.timestamp(Long.parseLong(t));
            }
            return OffsetsInitializer.timestamp(Instant.parse(t).toEpochMilli());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException(option + " " + text + ": use earliest, latest, offset:N, epoch milliseconds or an"
                    + " ISO-8601 time such as 2024-01-01T00:00:00Z");
        }
    }
}
