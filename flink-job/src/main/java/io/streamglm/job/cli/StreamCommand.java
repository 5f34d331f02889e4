package io.streamglm.job.cli;

import io.streamglm.connectors.kafka.Topics;
import io.streamglm.engine.accumulate.CellPasses;
import io.streamglm.engine.fit.GlmModel;
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
        if (!(forgetting > 0 && forgetting <= 1)) {
            throw new UsageException("--forgetting " + forgetting + ": must be in (0, 1]");
        }
        checkCsvHeaderHas(modelSpec, timeField, "--time-field");
        checkCsvHeaderHas(modelSpec, keyField, "--key-field");
        String name = modelName != null ? modelName : specName(specText);
        WindowSpec windowSpec = WindowSpec.parse(window);
        if (cells) {
            checkCells(modelSpec, design, m);
        }
        if (modelSpec.penalized()) {
            checkPenalized(m, cells, shards);
        }
        int shardCount = modelSpec.penalized() ? 1 : shardCount(shards, windowSpec, m, control, parallelism);
        return new StreamOptions(bootstrapServers, input, output, deadLetter, control,
                SpecParser.toJson(modelSpec).toString(), ModelFile.designToJson(design.design()), design.source(), name,
                windowSpec, timeField, keyField, m, forgetting, WindowSpec.durationOrZero(allowedLateness),
                WindowSpec.durationOrZero(maxOutOfOrderness), WindowSpec.durationOrZero(retain), refitEvery, parallelism,
                checkpointDir, WindowSpec.duration(checkpointInterval), props, stopAfter,
                groupId != null ? groupId : "streamglm-" + name, groupId != null ? groupId : "streamglm-" + name,
                sourceParallelism != null ? sourceParallelism : parallelism, false, shardCount,
                feedback != null ? feedback : output + "-feedback", cells, WindowSpec.durationOrZero(idleTimeout),
                WindowSpec.durationOrZero(maxTimeSkew), fromScratch);
    }

    /** {@code --cells} is exact for Poisson log-link models without weights, refitted exactly. */
    static void checkCells(ModelSpec spec, DesignChoice design, RefitFunction.Mode mode) {
        GlmModel model = GlmModel.of(spec, design.design());
        if (!CellPasses.supports(model.family(), model.link(), spec.weights() != null)) {
            throw new UsageException("--cells is exact for family poisson or quasipoisson with link log and no weights;"
                    + " this spec has family " + spec.family() + ", link " + spec.link()
                    + (spec.weights() != null ? ", weights " + spec.weights() : "") + ": drop --cells");
        }
        if (mode != RefitFunction.Mode.EXACT) {
            throw new UsageException("--cells refits in exact mode only: drop --mode online or --cells");
        }
    }

    /** A penalized model is refitted exactly, from its window's rows, by one operator per model. */
    static void checkPenalized(RefitFunction.Mode mode, boolean cells, String shards) {
        if (mode != RefitFunction.Mode.EXACT) {
            throw new UsageException("--mode online: a penalized model is refitted exactly; drop --mode online");
        }
        if (cells) {
            throw new UsageException("--cells: a penalized model needs its window's rows (glmnet standardizes with"
                    + " row weights); drop --cells");
        }
        if (!shards.equals("auto") && !shards.equals("1")) {
            throw new UsageException("--shards " + shards + ": a penalized model is refitted on one operator; use"
                    + " --shards 1 or auto");
        }
    }

    /** {@code --shards}: a number, or {@code auto} for one shard per subtask where distributed refits apply. */
    static int shardCount(String option, WindowSpec window, RefitFunction.Mode mode, String control, int parallelism) {
        if (option.equals("auto")) {
            boolean distributable = window.timeBased() && mode == RefitFunction.Mode.EXACT && control == null;
            return distributable ? parallelism : 1;
        }
        int n;
        try {
            n = Integer.parseInt(option);
        } catch (NumberFormatException e) {
            throw new UsageException("--shards " + option + ": use a number, or auto");
        }
        checkShards(n, window, mode, control);
        return n;
    }

    /**
     * Distributed passes refit event-time windows exactly: a count window needs one global order of a model's
     * rows, a global window's refits are counted in rows, an online step and an on-demand refit run on one
     * operator's rows. Public for the stream benchmark ({@code io.streamglm.bench.StreamBench}), which checks its
     * {@code --shards} the same way.
     */
    public static void checkShards(int shards, WindowSpec window, RefitFunction.Mode mode, String control) {
        if (shards < 1) {
            throw new UsageException("--shards " + shards + ": must be at least 1");
        }
        if (shards == 1) {
            return;
        }
        if (!window.timeBased()) {
            throw new UsageException("--shards " + shards + " needs a tumbling or sliding window, not --window "
                    + window.text() + ": drop --shards to refit count and global windows on one operator per model");
        }
        if (mode != RefitFunction.Mode.EXACT) {
            throw new UsageException("--shards " + shards + " refits in exact mode only: drop --mode online or --shards");
        }
        if (control != null) {
            throw new UsageException("--shards " + shards + " does not take on-demand refits yet: drop --control or"
                    + " --shards");
        }
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

    /** With CSV records, the time and key fields must be fields of the CSV lines. */
    static void checkCsvHeaderHas(ModelSpec spec, String field, String option) {
        if (field != null && !spec.csvHeader().isEmpty() && !spec.csvHeader().contains(field)) {
            throw new UsageException(option + " " + field + " is not in the spec's csv_header " + spec.csvHeader()
                    + ": add it there at its position in the CSV lines, or name a field that is");
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
