package io.streamglm.job.stream;

import io.streamglm.engine.accumulate.CellPasses;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.JobSetupException;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.RefitFunction;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a stream job needs, made by {@link #builder} and checked by {@link Builder#build()}: the CLI, the
 * demo, the benchmark and the tests all build their options there, so a combination the job cannot run is refused
 * in one place, before anything starts, with a message that names the option and the fix (the CLI prints it as
 * {@code error: MESSAGE}). The accessors keep the names of the positional record this class replaces.
 *
 * <p>Checks that need more than the values stay where their input is: whether the input topic exists and how many
 * partitions feed the sources, what the checkpoint directory holds, and {@code --resume-from} against
 * {@code --from-scratch} (not options of the job itself) are settled by {@code cli.JobLaunch}.
 */
public final class StreamOptions {

    /** The default limit on how far ahead of the wall clock an event time may be ({@code --max-time-skew 1h}). */
    public static final long DEFAULT_MAX_TIME_SKEW_MILLIS = 3_600_000L;

    /**
     * The shortest default checkpoint interval while the source reads a backlog: each checkpoint copies the whole
     * buffered window, which grows with every record read.
     */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_DURING_BACKLOG_MILLIS = 30_000L;

    private final String bootstrapServers;
    private final String input;
    private final String output;
    private final String deadLetter;
    private final String control;
    private final String specJson;
    private final String designJson;
    private final String designSource;
    private final String modelName;
    private final WindowSpec window;
    private final String timeField;
    private final String keyField;
    private final RefitFunction.Mode mode;
    private final double forgetting;
    private final long allowedLatenessMillis;
    private final long maxOutOfOrdernessMillis;
    private final long retainMillis;
    private final long refitEvery;
    private final int parallelism;
    private final String checkpointDir;
    private final long checkpointIntervalMillis;
    private final long checkpointIntervalDuringBacklogMillis;
    private final long[] backlogEnds;
    private final Map<String, String> kafkaProperties;
    private final Long boundedOffset;
    private final String transactionalIdPrefix;
    private final String groupId;
    private final int sourceParallelism;
    private final boolean watermarkEveryRecord;
    private final int shards;
    private final String feedback;
    private final boolean cells;
    private final long idleTimeoutMillis;
    private final long maxTimeSkewMillis;
    private final boolean fromScratch;

    private StreamOptions(Builder b, int shards) {
        bootstrapServers = b.bootstrapServers;
        input = b.input;
        output = b.output;
        deadLetter = b.deadLetter;
        control = b.control;
        specJson = b.specJson;
        designJson = b.designJson;
        designSource = b.designSource;
        modelName = b.modelName;
        window = b.window;
        timeField = b.timeField;
        keyField = b.keyField;
        mode = b.mode;
        forgetting = b.forgetting;
        allowedLatenessMillis = b.allowedLatenessMillis;
        maxOutOfOrdernessMillis = b.maxOutOfOrdernessMillis;
        retainMillis = b.retainMillis;
        refitEvery = b.refitEvery;
        parallelism = b.parallelism;
        checkpointDir = b.checkpointDir;
        checkpointIntervalMillis = b.checkpointIntervalMillis;
        checkpointIntervalDuringBacklogMillis = b.checkpointIntervalDuringBacklogMillis != null
                ? b.checkpointIntervalDuringBacklogMillis
                : Math.max(DEFAULT_CHECKPOINT_INTERVAL_DURING_BACKLOG_MILLIS, b.checkpointIntervalMillis);
        backlogEnds = b.backlogEnds.clone();
        kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.kafkaProperties));
        boundedOffset = b.boundedOffset;
        groupId = b.groupId != null ? b.groupId : "streamglm-" + b.modelName;
        transactionalIdPrefix = b.transactionalIdPrefix != null ? b.transactionalIdPrefix : groupId;
        sourceParallelism = b.sourceParallelism != null ? b.sourceParallelism : b.parallelism;
        watermarkEveryRecord = b.watermarkEveryRecord;
        this.shards = shards;
        feedback = b.feedback != null ? b.feedback : b.output + "-feedback";
        cells = b.cells;
        idleTimeoutMillis = b.idleTimeoutMillis;
        maxTimeSkewMillis = b.maxTimeSkewMillis;
        fromScratch = b.fromScratch;
    }

    /**
     * Options with the CLI's defaults (docs/streaming.md) for everything but what has none.
     *
     * @param specJson     the model spec, as {@code SpecParser.toJson}
     * @param designJson   the frozen design (from a model file, a warm-up sample or the spec)
     * @param designSource where it came from, for provenance: {@code spec}, {@code model:PATH}, {@code warmup:PATH}
     */
    public static Builder builder(String bootstrapServers, String input, String output, String specJson,
                                  String designJson, String designSource, WindowSpec window) {
        return new Builder().bootstrapServers(bootstrapServers).input(input).output(output).specJson(specJson)
                .designJson(designJson).designSource(designSource).window(window);
    }

    /**
     * A builder holding these options, resolved defaults included ({@code --shards auto} as the number it chose,
     * the group id, the feedback topic), so that {@code toBuilder().build()} gives the same options and a copy that
     * changes one of them keeps the others as they are.
     */
    public Builder toBuilder() {
        return new Builder().bootstrapServers(bootstrapServers).input(input).output(output).deadLetter(deadLetter)
                .control(control).specJson(specJson).designJson(designJson).designSource(designSource)
                .modelName(modelName).window(window).timeField(timeField).keyField(keyField).mode(mode)
                .forgetting(forgetting).allowedLatenessMillis(allowedLatenessMillis)
                .maxOutOfOrdernessMillis(maxOutOfOrdernessMillis).retainMillis(retainMillis).refitEvery(refitEvery)
                .parallelism(parallelism).checkpointDir(checkpointDir).checkpointIntervalMillis(checkpointIntervalMillis)
                .checkpointIntervalDuringBacklogMillis(checkpointIntervalDuringBacklogMillis).backlogEnds(backlogEnds)
                .kafkaProperties(kafkaProperties).boundedOffset(boundedOffset)
                .transactionalIdPrefix(transactionalIdPrefix).groupId(groupId).sourceParallelism(sourceParallelism)
                .watermarkEveryRecord(watermarkEveryRecord).shards(shards).feedback(feedback).cells(cells)
                .idleTimeoutMillis(idleTimeoutMillis).maxTimeSkewMillis(maxTimeSkewMillis).fromScratch(fromScratch);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String input() {
        return input;
    }

    public String output() {
        return output;
    }

    public String deadLetter() {
        return deadLetter;
    }

    public String control() {
        return control;
    }

    public String specJson() {
        return specJson;
    }

    /** The frozen design (from a model file, a warm-up sample or the spec). */
    public String designJson() {
        return designJson;
    }

    /** Where the design came from, for provenance: {@code spec}, {@code model:PATH}, {@code warmup:PATH}. */
    public String designSource() {
        return designSource;
    }

    public String modelName() {
        return modelName;
    }

    public WindowSpec window() {
        return window;
    }

    /** The event-time field; null: the Kafka timestamp. */
    public String timeField() {
        return timeField;
    }

    public String keyField() {
        return keyField;
    }

    public RefitFunction.Mode mode() {
        return mode;
    }

    public double forgetting() {
        return forgetting;
    }

    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    public long maxOutOfOrdernessMillis() {
        return maxOutOfOrdernessMillis;
    }

    public long retainMillis() {
        return retainMillis;
    }

    public long refitEvery() {
        return refitEvery;
    }

    public int parallelism() {
        return parallelism;
    }

    public String checkpointDir() {
        return checkpointDir;
    }

    public long checkpointIntervalMillis() {
        return checkpointIntervalMillis;
    }

    /** The checkpoint interval while the source reads the backlog it found at launch ({@link BacklogSource}). */
    public long checkpointIntervalDuringBacklogMillis() {
        return checkpointIntervalDuringBacklogMillis;
    }

    /**
     * The input's end offset of each partition at launch, by partition; empty when the launcher did not read
     * them (the demo, tests), and then the source reports no backlog.
     */
    public long[] backlogEnds() {
        return backlogEnds.clone();
    }

    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }

    /** When non-null the job stops after this many records of each input partition (demo, tests). */
    public Long boundedOffset() {
        return boundedOffset;
    }

    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    public String groupId() {
        return groupId;
    }

    /** Source subtasks (at most the input partitions are useful). */
    public int sourceParallelism() {
        return sourceParallelism;
    }

    /**
     * Advance the watermark with every record rather than periodically: a record's lateness then depends only on
     * the records before it (tests, the demo).
     */
    public boolean watermarkEveryRecord() {
        return watermarkEveryRecord;
    }

    /**
     * 1: each model's windows are refitted by one keyed operator; more: each model's rows are spread over this many
     * shards and refitted by distributed passes through the feedback topic.
     */
    public int shards() {
        return shards;
    }

    /** The feedback topic of distributed passes (used when shards > 1). */
    public String feedback() {
        return feedback;
    }

    /** Keep windows as cells of distinct design rows instead of rows (Poisson log-link models). */
    public boolean cells() {
        return cells;
    }

    /**
     * 0: event time waits for every input partition, so whether a row is late depends on the rows alone, never on
     * how fast partitions are read (restores, backpressure); more: a partition that sends nothing this long stops
     * holding event time back.
     */
    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /**
     * Rows whose event time is more than this ahead of the wall clock are dead letters ({@code time_out_of_range})
     * instead of closing every open window; 0: no limit.
     */
    public long maxTimeSkewMillis() {
        return maxTimeSkewMillis;
    }

    /** Read the input from its earliest offsets, not the consumer group's committed ones. */
    public boolean fromScratch() {
        return fromScratch;
    }

    /**
     * Stream options being assembled. The setters take the values the CLI's options parse to (durations in
     * milliseconds); each default is the CLI's, and {@link #build()} checks them all together.
     */
    public static final class Builder {
        private String bootstrapServers;
        private String input;
        private String output;
        private String deadLetter;
        private String control;
        private String specJson;
        private String designJson;
        private String designSource;
        private String modelName = "model";
        private WindowSpec window;
        private String timeField;
        private String keyField;
        private RefitFunction.Mode mode = RefitFunction.Mode.EXACT;
        private double forgetting = 1.0;
        private long allowedLatenessMillis = 0;
        private long maxOutOfOrdernessMillis = 5_000;
        private long retainMillis = 0;
        private long refitEvery = 10_000;
        private int parallelism = 2;
        private String checkpointDir;
        private long checkpointIntervalMillis = 2_000;
        private Long checkpointIntervalDuringBacklogMillis;
        private long[] backlogEnds = new long[0];
        private Map<String, String> kafkaProperties = Map.of();
        private Long boundedOffset;
        private String transactionalIdPrefix;
        private String groupId;
        private Integer sourceParallelism;
        private boolean watermarkEveryRecord;
        // The text of --shards, so that its messages quote what was given, as the CLI always has.
        private String shards = "auto";
        private String feedback;
        private boolean cells;
        private long idleTimeoutMillis = 0;
        private long maxTimeSkewMillis = DEFAULT_MAX_TIME_SKEW_MILLIS;
        private boolean fromScratch;

        private Builder() {
        }

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder input(String topic) {
            this.input = topic;
            return this;
        }

        public Builder output(String topic) {
            this.output = topic;
            return this;
        }

        /** Topic for records that cannot be used; default none (they are counted and dropped). */
        public Builder deadLetter(String topic) {
            this.deadLetter = topic;
            return this;
        }

        /** Topic of on-demand refit commands; default none. */
        public Builder control(String topic) {
            this.control = topic;
            return this;
        }

        public Builder specJson(String json) {
            this.specJson = json;
            return this;
        }

        public Builder designJson(String json) {
            this.designJson = json;
            return this;
        }

        public Builder designSource(String source) {
            this.designSource = source;
            return this;
        }

        /** Model id in output records; default {@code model} (the CLI passes the spec's {@code "model"}). */
        public Builder modelName(String name) {
            this.modelName = name;
            return this;
        }

        public Builder window(WindowSpec window) {
            this.window = window;
            return this;
        }

        /** Event-time field (epoch ms or ISO-8601); default null, the Kafka timestamp. */
        public Builder timeField(String field) {
            this.timeField = field;
            return this;
        }

        /** Field whose values each get a model of their own; default none. */
        public Builder keyField(String field) {
            this.keyField = field;
            return this;
        }

        /** Default exact. */
        public Builder mode(RefitFunction.Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Online mode: weight of past information, in (0, 1]; default 1. */
        public Builder forgetting(double forgetting) {
            this.forgetting = forgetting;
            return this;
        }

        /** Wait this long after a window ends; default 0. */
        public Builder allowedLatenessMillis(long millis) {
            this.allowedLatenessMillis = millis;
            return this;
        }

        /** Watermark delay behind event time; default 5 s. */
        public Builder maxOutOfOrdernessMillis(long millis) {
            this.maxOutOfOrdernessMillis = millis;
            return this;
        }

        /** Keep rows this long for on-demand {@code last:} refits; default 0. */
        public Builder retainMillis(long millis) {
            this.retainMillis = millis;
            return this;
        }

        /** Global window: refit every this many records; default 10000. */
        public Builder refitEvery(long records) {
            this.refitEvery = records;
            return this;
        }

        /** Operator parallelism; default 2. */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /** Checkpoint directory, a path or a Flink file system URI; default null (the launcher's choice). */
        public Builder checkpointDir(String dir) {
            this.checkpointDir = dir;
            return this;
        }

        /** Checkpoint (and commit) interval; default 2 s. */
        public Builder checkpointIntervalMillis(long millis) {
            this.checkpointIntervalMillis = millis;
            return this;
        }

        /**
         * Checkpoint interval while the source reads the backlog it found at launch; default the longer of 30 s
         * and the checkpoint interval.
         */
        public Builder checkpointIntervalDuringBacklogMillis(Long millis) {
            this.checkpointIntervalDuringBacklogMillis = millis;
            return this;
        }

        /** The input's end offset of each partition at launch, by partition; default none (no backlog reported). */
        public Builder backlogEnds(long[] ends) {
            this.backlogEnds = ends.clone();
            return this;
        }

        /** Kafka client properties of every source and sink; default none. */
        public Builder kafkaProperties(Map<String, String> properties) {
            this.kafkaProperties = properties;
            return this;
        }

        /** Stop after this many records of each input partition; default null, never. */
        public Builder boundedOffset(Long records) {
            this.boundedOffset = records;
            return this;
        }

        /** Prefix of the sinks' transactional ids; default null, the group id. */
        public Builder transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        /** Consumer group; default null, {@code streamglm-<model name>}. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Source subtasks; default null, the parallelism. */
        public Builder sourceParallelism(Integer subtasks) {
            this.sourceParallelism = subtasks;
            return this;
        }

        /** Default false: the watermark advances periodically. */
        public Builder watermarkEveryRecord(boolean everyRecord) {
            this.watermarkEveryRecord = everyRecord;
            return this;
        }

        /**
         * {@code --shards} as given: {@code auto} (the default: one shard per subtask where distributed refits apply,
         * else 1) or a number.
         */
        public Builder shards(String option) {
            this.shards = option;
            return this;
        }

        /** Spread each model's rows over {@code n} shards (1: one operator per model refits its windows). */
        public Builder shards(int n) {
            return shards(String.valueOf(n));
        }

        /** Feedback topic of distributed passes; default null, {@code <output>-feedback}. */
        public Builder feedback(String topic) {
            this.feedback = topic;
            return this;
        }

        /** Keep windows as cells of distinct design rows; default false (rows). */
        public Builder cells(boolean keepCells) {
            this.cells = keepCells;
            return this;
        }

        /** Let event time pass a partition that sent nothing this long; default 0, never. */
        public Builder idleTimeoutMillis(long millis) {
            this.idleTimeoutMillis = millis;
            return this;
        }

        /** Dead-letter rows whose event time is this far ahead of the clock; default 1 h; 0: no limit. */
        public Builder maxTimeSkewMillis(long millis) {
            this.maxTimeSkewMillis = millis;
            return this;
        }

        /** Start without state, from the input's earliest offsets; default false. */
        public Builder fromScratch(boolean fromScratch) {
            this.fromScratch = fromScratch;
            return this;
        }

        /**
         * The options, once every check of their values and of how they combine has passed; the first that fails
         * throws a {@link JobSetupException} naming the option and the fix (the CLI prints the message as it is).
         * The checks the CLI made itself run in its order; the ones it did not make come after them.
         */
        public StreamOptions build() {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(specJson, "specJson");
            Objects.requireNonNull(designJson, "designJson");
            Objects.requireNonNull(designSource, "designSource");
            Objects.requireNonNull(modelName, "modelName");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(kafkaProperties, "kafkaProperties");
            Objects.requireNonNull(shards, "shards");
            if (!(forgetting > 0 && forgetting <= 1)) {
                throw new JobSetupException("--forgetting " + forgetting + ": must be in (0, 1]");
            }
            ModelSpec spec = SpecParser.parse(specJson, "spec");
            checkCsvHeaderHas(spec, timeField, "--time-field");
            checkCsvHeaderHas(spec, keyField, "--key-field");
            if (cells) {
                checkCells(spec);
            }
            if (spec.penalized()) {
                checkPenalized();
            }
            int shardCount = spec.penalized() ? 1 : shardCount();
            if (checkpointDir != null) {
                CheckpointStore.normalize(checkpointDir); // its form only: what it holds is the launcher's to read
            }
            // Below: checks the CLI did not make because its option parsing could not give such values, or because
            // the job failed on them later, inside Flink.
            if (parallelism < 1) {
                throw new JobSetupException("--parallelism " + parallelism + ": must be at least 1");
            }
            if (sourceParallelism != null && sourceParallelism < 1) {
                throw new JobSetupException("--source-parallelism " + sourceParallelism + ": must be at least 1");
            }
            if (window.kind() == WindowSpec.Kind.GLOBAL && refitEvery < 1) {
                throw new JobSetupException("--refit-every " + refitEvery + ": a global window refits every N records;"
                        + " N must be at least 1");
            }
            checkNotNegative(allowedLatenessMillis, "--allowed-lateness");
            checkNotNegative(maxOutOfOrdernessMillis, "--max-out-of-orderness");
            checkNotNegative(retainMillis, "--retain");
            checkNotNegative(idleTimeoutMillis, "--idle-timeout");
            checkNotNegative(maxTimeSkewMillis, "--max-time-skew");
            if (checkpointIntervalMillis < 1) {
                throw new JobSetupException("--checkpoint-interval " + checkpointIntervalMillis + " ms: must be positive,"
                        + " e.g. 2s");
            }
            if (checkpointIntervalDuringBacklogMillis != null
                    && checkpointIntervalDuringBacklogMillis < checkpointIntervalMillis) {
                throw new JobSetupException("--checkpoint-interval-during-backlog " + checkpointIntervalDuringBacklogMillis
                        + " ms is shorter than --checkpoint-interval " + checkpointIntervalMillis + " ms: give at least"
                        + " the checkpoint interval, e.g. 30s, or drop it");
            }
            return new StreamOptions(this, shardCount);
        }

        /** {@code --cells} is exact for Poisson log-link models without weights, refitted exactly. */
        private void checkCells(ModelSpec spec) {
            GlmModel model = GlmModel.of(spec, ModelFile.designFromJson(designJson));
            if (!CellPasses.supports(model.family(), model.link(), spec.weights() != null)) {
                throw new JobSetupException("--cells is exact for family poisson or quasipoisson with link log and no"
                        + " weights; this spec has family " + spec.family() + ", link " + spec.link()
                        + (spec.weights() != null ? ", weights " + spec.weights() : "") + ": drop --cells");
            }
            if (mode != RefitFunction.Mode.EXACT) {
                throw new JobSetupException("--cells refits in exact mode only: drop --mode online or --cells");
            }
        }

        /** A penalized model is refitted exactly, from its window's rows, by one operator per model. */
        private void checkPenalized() {
            if (mode != RefitFunction.Mode.EXACT) {
                throw new JobSetupException("--mode online: a penalized model is refitted exactly; drop --mode online");
            }
            if (cells) {
                throw new JobSetupException("--cells: a penalized model needs its window's rows (glmnet standardizes"
                        + " with row weights); drop --cells");
            }
            if (!shards.equals("auto") && !shards.equals("1")) {
                throw new JobSetupException("--shards " + shards + ": a penalized model is refitted on one operator;"
                        + " use --shards 1 or auto");
            }
        }

        /** {@code --shards}: a number, or {@code auto} for one shard per subtask where distributed refits apply. */
        private int shardCount() {
            if (shards.equals("auto")) {
                boolean distributable = window.timeBased() && mode == RefitFunction.Mode.EXACT && control == null;
                return distributable ? parallelism : 1;
            }
            int n;
            try {
                n = Integer.parseInt(shards);
            } catch (NumberFormatException e) {
                throw new JobSetupException("--shards " + shards + ": use a number, or auto");
            }
            checkShards(n);
            return n;
        }

        /**
         * Distributed passes refit event-time windows exactly: a count window needs one global order of a model's
         * rows, a global window's refits are counted in rows, an online step and an on-demand refit run on one
         * operator's rows.
         */
        private void checkShards(int n) {
            if (n < 1) {
                throw new JobSetupException("--shards " + n + ": must be at least 1");
            }
            if (n == 1) {
                return;
            }
            if (!window.timeBased()) {
                throw new JobSetupException("--shards " + n + " needs a tumbling or sliding window, not --window "
                        + window.text() + ": drop --shards to refit count and global windows on one operator per model");
            }
            if (mode != RefitFunction.Mode.EXACT) {
                throw new JobSetupException("--shards " + n + " refits in exact mode only: drop --mode online or"
                        + " --shards");
            }
            if (control != null) {
                throw new JobSetupException("--shards " + n + " does not take on-demand refits yet: drop --control or"
                        + " --shards");
            }
        }

        private static void checkNotNegative(long millis, String option) {
            if (millis < 0) {
                throw new JobSetupException(option + " " + millis + " ms: must be 0 or more");
            }
        }
    }

    /**
     * With CSV records, the time and key fields must be fields of the CSV lines. Public for {@code replay}, whose
     * {@code --time-column} and {@code --key-field} of a topic are read the same way.
     */
    public static void checkCsvHeaderHas(ModelSpec spec, String field, String option) {
        if (field != null && !spec.csvHeader().isEmpty() && !spec.csvHeader().contains(field)) {
            throw new JobSetupException(option + " " + field + " is not in the spec's csv_header " + spec.csvHeader()
                    + ": add it there at its position in the CSV lines, or name a field that is");
        }
    }
}
