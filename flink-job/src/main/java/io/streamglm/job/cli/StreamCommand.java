package io.streamglm.job.cli;

import io.streamglm.connectors.kafka.Topics;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.stream.StreamJob;
import io.streamglm.job.stream.StreamOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code streamglm stream}: refits on a Kafka topic, on a local MiniCluster or a Flink session cluster. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Refit a GLM continuously on a Kafka topic and write each refit to an output topic.")
public final class StreamCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port")
    String bootstrapServers;

    @Option(names = "--input", required = true, description = "input topic of JSON records")
    String input;

    @Option(names = "--output", required = true, description = "output topic for refits (keyed by model id)")
    String output;

    @Option(names = "--spec", required = true, description = "model spec JSON")
    Path spec;

    @Option(names = "--window", required = true, description = "tumbling:1h, sliding:24h/1h, count:100000 or global")
    String window;

    @Option(names = "--dead-letter", description = "topic for records that cannot be used")
    String deadLetter;

    @Option(names = "--control", description = "topic of on-demand refit commands")
    String control;

    @Option(names = "--time-field", description = "event-time field (epoch ms or ISO-8601); default: the Kafka timestamp")
    String timeField;

    @Option(names = "--key-field", description = "field whose values each get a model of their own")
    String keyField;

    @Option(names = "--mode", defaultValue = "exact", description = "exact or online (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--forgetting", defaultValue = "1.0", description = "online mode: weight of past information, in (0, 1]")
    double forgetting;

    @Option(names = "--allowed-lateness", defaultValue = "0s", description = "wait this long after a window ends")
    String allowedLateness;

    @Option(names = "--max-out-of-orderness", defaultValue = "5s", description = "watermark delay behind event time")
    String maxOutOfOrderness;

    @Option(names = "--retain", defaultValue = "0s", description = "keep rows this long for on-demand last:... refits")
    String retain;

    @Option(names = "--refit-every", defaultValue = "10000", description = "global window: refit every N records")
    long refitEvery;

    @Option(names = "--parallelism", defaultValue = "2", description = "operator parallelism (default ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--source-parallelism", description = "source subtasks (default: --parallelism)")
    Integer sourceParallelism;

    @Option(names = "--checkpoint-dir", description = "checkpoint directory: a path or a Flink file system URI; the job"
            + " keeps its checkpoints in DIR/<group id> and the same command started again resumes from the newest"
            + " (default: ~/.streamglm/checkpoints locally; with --jobmanager, the cluster's own)")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", defaultValue = "2s", description = "checkpoint (and commit) interval")
    String checkpointInterval;

    @Option(names = "--checkpoint-interval-during-backlog", description = "checkpoint interval while the job reads the"
            + " records that were in the input when it started (each checkpoint copies the buffered window); default"
            + " the longer of 30s and --checkpoint-interval")
    String checkpointIntervalDuringBacklog;

    @Option(names = "--state-backend", description = "hashmap or rocksdb (default: hashmap locally; with --jobmanager,"
            + " the cluster's own)")
    String stateBackend;

    @Option(names = "--restart-strategy", description = "exponential[:MAX_DELAY] (no limit on restarts), fixed-delay:"
            + "ATTEMPTS:DELAY, failure-rate:FAILURES:INTERVAL:DELAY or none (default: exponential locally; with"
            + " --jobmanager, the cluster's own)")
    String restartStrategy;

    @Option(names = "--flink-conf", description = "Flink configuration key=value for this job (repeatable), e.g."
            + " --flink-conf execution.checkpointing.timeout=5min")
    List<String> flinkConf = new ArrayList<>();

    @Option(names = "--resume-from", description = "restore this checkpoint or savepoint (a chk-N or savepoint-..."
            + " directory) instead of the newest one of --checkpoint-dir")
    String resumeFrom;

    @Option(names = "--from-scratch", description = "start without state, reading the input from its earliest offsets"
            + " (refits every window the topic still holds), even where checkpoints or committed offsets exist")
    boolean fromScratch;

    @Option(names = "--idle-timeout", defaultValue = "0s", description = "let event time pass a partition that sent"
            + " nothing this long (default ${DEFAULT-VALUE}: never, so no row is ever late because its partition was"
            + " read slowly, e.g. after a restore)")
    String idleTimeout;

    @Option(names = "--max-time-skew", defaultValue = "1h", description = "rows whose event time is more than this ahead"
            + " of the clock go to the dead letters as time_out_of_range (default ${DEFAULT-VALUE}; 0s: no limit)")
    String maxTimeSkew;

    @Option(names = "--metrics-port", description = "expose Flink's and streamglm's metrics for Prometheus on this"
            + " port (local runs; on a cluster, configure its reporter: docs/operations.md)")
    Integer metricsPort;

    @Option(names = "--model", description = "start from this fitted model file's frozen design")
    Path model;

    @Option(names = "--warmup-data", description = "freeze levels and knots from this CSV sample")
    Path warmup;

    @Option(names = "--model-name", description = "model id in output records (default: the spec's \"model\", else \"model\")")
    String modelName;

    @Option(names = "--group-id", description = "consumer group (default streamglm-<model>); the job resumes from its committed offsets")
    String groupId;

    @Option(names = "--kafka-property", description = "Kafka client property k=v (repeatable)")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--shards", defaultValue = "auto", description = "spread each model's rows over N shards, refitted"
            + " by distributed passes through the feedback topic (event-time windows, exact mode, no --control); 1: one"
            + " operator per model refits its windows; default ${DEFAULT-VALUE}: --parallelism shards where possible, else 1")
    String shards;

    @Option(names = "--feedback", description = "feedback topic of distributed passes, one partition (default <output>-feedback)")
    String feedback;

    @Option(names = "--cells", description = "keep each window as cells of distinct design rows (sums of counts and"
            + " exposures) instead of rows: exact for poisson and quasipoisson with log link and no weights; state grows"
            + " with distinct cells (categorical or binned designs), HC2/HC3 are not available")
    boolean cells;

    @Option(names = "--jobmanager", description = "submit to a Flink session cluster at host:port (REST)")
    String jobManager;

    @Option(names = "--stop-after", hidden = true, description = "stop after this many records per partition")
    Long stopAfter;

    @Override public Integer call() throws Exception {
        StreamOptions options = options();
        JobLaunch launch = JobLaunch.prepare(this, options);
        options = launch.options();
        if (options.shards() > 1) {
            createFeedbackTopic(options);
        }
        StreamExecutionEnvironment env = launch.environment();
        StreamJob.build(env, options, s -> s);
        return launch.run(env, "streamglm stream " + options.modelName());
    }

    /** The options as given, checked by {@link StreamOptions.Builder#build()}; the spec and design are read here. */
    StreamOptions options() throws Exception {
        String specText = FitCommand.readSpec(spec);
        ModelSpec modelSpec = SpecParser.parse(specText, spec.toString());
        DesignChoice design = model != null ? DesignChoice.fromModel(model)
                : warmup != null ? DesignChoice.fromSample(modelSpec, warmup, "warmup") : DesignChoice.fromSpec(modelSpec);
        Map<String, String> props = kafkaProperties(kafkaProperties);
        RefitFunction.Mode m = switch (mode) {
            case "exact" -> RefitFunction.Mode.EXACT;
            case "online" -> RefitFunction.Mode.ONLINE;
            default -> throw new UsageException("--mode " + mode + ": use exact or online");
        };
        return StreamOptions.builder(bootstrapServers, input, output, SpecParser.toJson(modelSpec).toString(),
                        ModelFile.designToJson(design.design()), design.source(), WindowSpec.parse(window))
                .deadLetter(deadLetter).control(control).timeField(timeField).keyField(keyField)
                .modelName(modelName != null ? modelName : specName(specText)).mode(m).forgetting(forgetting)
                .allowedLatenessMillis(WindowSpec.durationOrZero(allowedLateness))
                .maxOutOfOrdernessMillis(WindowSpec.durationOrZero(maxOutOfOrderness))
                .retainMillis(WindowSpec.durationOrZero(retain)).refitEvery(refitEvery).parallelism(parallelism)
                .checkpointDir(checkpointDir).checkpointIntervalMillis(WindowSpec.duration(checkpointInterval))
                .checkpointIntervalDuringBacklogMillis(checkpointIntervalDuringBacklog == null ? null
                        : WindowSpec.duration(checkpointIntervalDuringBacklog))
                .kafkaProperties(props).boundedOffset(stopAfter).groupId(groupId).sourceParallelism(sourceParallelism)
                .shards(shards).feedback(feedback).cells(cells).idleTimeoutMillis(WindowSpec.durationOrZero(idleTimeout))
                .maxTimeSkewMillis(WindowSpec.durationOrZero(maxTimeSkew)).fromScratch(fromScratch)
                .build();
    }

    /**
     * The feedback topic with one partition, unless it exists: a source subscribed to a missing topic would find
     * it only at its next partition discovery, minutes later, and every refit would wait that long.
     */
    static void createFeedbackTopic(StreamOptions o) {
        Map<String, Object> config = new LinkedHashMap<>(o.kafkaProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Topics.create(admin, 1, Optional.empty(), o.feedback());
        }
    }

    /** {@code --kafka-property k=v} options as a map. */
    static Map<String, String> kafkaProperties(List<String> options) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String kv : options) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--kafka-property " + kv + ": use key=value");
            }
            props.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return props;
    }

    static String specName(String specText) {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(specText);
            return node.path("model").asText("model");
        } catch (Exception e) {
            return "model";
        }
    }

}
