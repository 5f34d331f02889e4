package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.diagnostics.SummarySums;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.GlmFitter;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Replay job graphs, in BATCH execution: windowed refits (and per-key {@code all}) with the stream's parsing,
 * encoding, window labels and refit numerics; and {@code all} over files as one job whose workers keep the rows
 * and answer the driver's passes ({@link PassServer}), for data no single operator could hold.
 */
public final class ReplayJob {
    private static final TypeInformation<Tuple2<Long, Event>> ASSIGNED =
            new TupleTypeInfo<>(Types.LONG, SerializerTypeInfo.EVENT);

    /**
     * What to fit and how to read records.
     *
     * @param window the windows, or null for one window per model over all records
     */
    public record Model(ModelSpec spec, FittedDesign design, String designSource, String modelName, String timeField,
                        String keyField, WindowSpec window) {
        String specJson() {
            return SpecParser.toJson(spec).toString();
        }

        String designJson() {
            return ModelFile.designToJson(design);
        }

        EventDeserializer deserializer() {
            return new EventDeserializer(specJson(), designJson(), modelName, timeField, keyField, 0);
        }
    }

    /** A bounded range of a Kafka topic. */
    public record TopicRange(String bootstrapServers, String topic, OffsetsInitializer from, OffsetsInitializer to,
                             Map<String, String> kafkaProperties) {
    }

    private ReplayJob() {
    }

    /** BATCH settings shared by every replay job: no Kryo, parallelism as asked. */
    public static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // The parallelism asked for, not one the adaptive batch scheduler infers from data volume: a cached
        // result is read back only by a job vertex of the parallelism that wrote it.
        conf.set(BatchExecutionOptions.ADAPTIVE_AUTO_PARALLELISM_ENABLED, false);
        // a replay reads files or a fixed topic range: a failure is reported in one line and the command run
        // again, rather than retried behind the user's back (the all-rows job's driver could not follow a restart)
        conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    /**
     * A MiniCluster that lives for the whole replay: a driver loop sends every pass to it, and cached chunks
     * survive between passes only on a cluster that outlives a job (flink-facts.md, section 2).
     */
    public static MiniCluster startMiniCluster(int slots) throws Exception {
        Configuration c = new Configuration();
        c.set(RestOptions.PORT, 0);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(c)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        return cluster;
    }

    /**
     * An environment submitting to the cluster at {@code rest} with the given jars (none for an in-JVM cluster).
     * Built from configuration rather than {@code createRemoteEnvironment}, which refuses to run inside a
     * predefined context (a test's MiniCluster, the Flink CLI) although this environment talks to its own cluster.
     */
    public static StreamExecutionEnvironment environment(URI rest, int parallelism, String... jars) {
        Configuration conf = configuration();
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(JobManagerOptions.ADDRESS, rest.getHost());
        conf.set(RestOptions.ADDRESS, rest.getHost());
        conf.set(RestOptions.PORT, rest.getPort());
        conf.set(PipelineOptions.JARS, java.util.Arrays.stream(jars).map(j -> new java.io.File(j).toURI().toString())
                .toList());
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    /** Each file's records (rows and dead letters), read in parallel, a file per reader. */
    public static DataStream<Event> fileRecords(StreamExecutionEnvironment env, Model m, List<String> files) {
        return fileIndexes(env, files).process(new FileReaders.Records(files, m.timeField(), m.deserializer()))
                .returns(SerializerTypeInfo.EVENT).name("read-files");
    }

    /** The records of a topic range. */
    public static DataStream<Event> topicRecords(StreamExecutionEnvironment env, Model m, TopicRange range) {
        var b = KafkaSource.<Event>builder()
                .setBootstrapServers(range.bootstrapServers())
                .setTopics(range.topic())
                .setStartingOffsets(range.from())
                .setBounded(range.to())
                .setDeserializer(m.deserializer())
                .setProperty("isolation.level", "read_committed");
        range.kafkaProperties().forEach(b::setProperty);
        return env.fromSource(b.build(), WatermarkStrategy.noWatermarks(), "kafka-in").returns(SerializerTypeInfo.EVENT);
    }

    /** Refits of every window of every model, and the dead letters. */
    public static DataStream<ReplayOutput> windows(DataStream<Event> records, Model m, String input) {
        DataStream<ReplayOutput> dead = deadLetters(records.filter(e -> !e.isRow()).returns(SerializerTypeInfo.EVENT));
        DataStream<ReplayOutput> refits = records.filter(Event::isRow).returns(SerializerTypeInfo.EVENT)
                .flatMap(new WindowRefit.Assign(m.window())).returns(ASSIGNED).name("assign-windows")
                .keyBy(WindowRefit::key, Types.STRING)
                .process(new WindowRefit(new Refitter.Setup(m.specJson(), m.designJson(), m.designSource(), input), m.window()))
                .returns(TypeInformation.of(ReplayOutput.class)).name("refit");
        return refits.union(dead);
    }

    /** Records that cannot be used, as the replay's dead-letter outputs. */
    private static DataStream<ReplayOutput> deadLetters(DataStream<Event> bad) {
        return bad.map(e -> new ReplayOutput(true, FileReaders.deadLetterJson(e)))
                .returns(TypeInformation.of(ReplayOutput.class)).name("dead-letters");
    }

    private static final TypeInformation<Tuple2<String, RowBuffer>> BLOCK =
            new TupleTypeInfo<>(Types.STRING, SerializerTypeInfo.ROW_BUFFER);

    /**
     * Whether a windowed replay of files reads them in units ({@link #windowsOfUnits}): one model (no key field,
     * whose models the block keys do not carry).
     */
    public static boolean windowsInUnits(Model m) {
        return m.keyField() == null && m.timeField() != null && m.window() != null;
    }

    /**
     * Refits of every window of the files, read in units (CSV files in byte-range splits by the fit path, at least
     * two per slot so that a split of a slow window does not hold the others; JSON lines whole), the rows crossing
     * to the refit operator in blocks; and the dead letters.
     */
    public static DataStream<ReplayOutput> windowsOfUnits(StreamExecutionEnvironment env, Model m, List<String> files,
                                                          String input) {
        int workers = Math.max(1, env.getParallelism());
        List<InputUnit> units = InputUnit.plan(files, m.design(), SPLIT_BYTES, 2 * workers, 1);
        SingleOutputStreamOperator<Tuple2<String, RowBuffer>> blocks = indexes(env, units.size(), "units")
                .process(new SplitWindowBlocks(units, m.modelName(), m.timeField(), m.window(), m.deserializer(),
                        m.specJson(), m.designJson()))
                .returns(BLOCK).name("read-units");
        DataStream<ReplayOutput> dead = deadLetters(blocks.getSideOutput(SplitWindowBlocks.DEAD_LETTERS));
        DataStream<ReplayOutput> refits = blocks.keyBy(b -> b.f0, Types.STRING)
                .process(new WindowBlockRefit(new Refitter.Setup(m.specJson(), m.designJson(), m.designSource(), input),
                        m.window()))
                .returns(TypeInformation.of(ReplayOutput.class)).name("refit");
        return refits.union(dead);
    }

    /** The fit over all rows of the files, and the dead letters. */
    public record AllResult(String refitJson, GlmResult result, List<String> deadLetters, int passes) {
    }

    /**
     * Where the driver listens for the workers of a replay over all rows, and the heap they may keep rows in.
     *
     * @param memoryBudget bytes all workers together may keep chunks in (0: half of each task manager's heap, for
     *                     a remote cluster whose heap the driver does not know); beyond it each pass reads the
     *                     input again
     */
    public record Driver(InetAddress bind, String advertisedHost, long memoryBudget) {
        /**
         * The embedded MiniCluster: its task managers run in this JVM and reach it on the loopback address; by
         * default the rows may take half of this JVM's heap.
         */
        public static Driver local(long memoryBudget) {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            return new Driver(loopback, loopback.getHostAddress(),
                    memoryBudget > 0 ? memoryBudget : Runtime.getRuntime().maxMemory() / 2);
        }

        /**
         * A remote cluster: this machine's address on the route to its REST endpoint, which its task managers can
         * be expected to reach as well (the address Flink's own clients are reached at).
         */
        public static Driver forCluster(String host, int port, long memoryBudget) throws java.io.IOException {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(host, port), 10_000);
                InetAddress local = s.getLocalAddress();
                return new Driver(local, local.getHostAddress(), memoryBudget);
            }
        }
    }

    /** Splits of at most about this many bytes: one split's text and table are in memory at once per worker. */
    static final long SPLIT_BYTES = 128L << 20;

    /**
     * Fits one model over all rows of the files in one Flink job: its workers read the input once (CSV files in
     * byte-range splits by the {@code fit} command's parser, JSON lines a file per unit record by record),
     * cut the rows into the chunks {@code streamglm fit} would use and keep them; the driver runs the engine's
     * fitter here and sends each pass to the workers, which answer with their chunks' accumulators
     * ({@link PassServer}). The job ends when the fit is done.
     */
    public static AllResult all(StreamExecutionEnvironment env, Model m, List<String> files, Driver driver,
                                IntConsumer onPass) throws Exception {
        int workers = Math.max(1, env.getParallelism());
        // a worker that cannot keep its rows holds one split at a time: splits small enough for that (text, table
        // and encoded rows of a split take up to about six times its text), a whole number per worker
        long splitBytes = driver.memoryBudget() > 0
                ? Math.max(1 << 16, Math.min(SPLIT_BYTES, driver.memoryBudget() / workers / 6)) : SPLIT_BYTES;
        List<InputUnit> units = InputUnit.plan(files, m.design(), splitBytes, workers, InMemoryPasses.CHUNK_ROWS);
        // every worker must run at once (each holds its rows until the fit is done): a streaming job deploys all
        // its tasks together, or fails when the slots are not there, where a batch job would wait for them
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        try (PassServer server = new PassServer(driver.bind(), workers, m.spec(), m.design(), onPass)) {
            indexes(env, units.size(), "units")
                    .transform("replay-workers", Types.STRING, new PassWorker(units, m.specJson(), m.designJson(),
                            m.timeField(), m.deserializer(), server.driver(driver.advertisedHost()),
                            driver.memoryBudget()))
                    .setParallelism(workers)
                    .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>())
                    .setParallelism(workers).name("nothing");
            org.apache.flink.core.execution.JobClient job;
            try {
                job = env.executeAsync("streamglm replay " + m.modelName());
            } catch (Exception e) {
                throw new ReplayJobException("could not submit the replay job: " + PassServer.rootMessage(e), e);
            }
            java.util.concurrent.atomic.AtomicBoolean fitted = new java.util.concurrent.atomic.AtomicBoolean();
            job.getJobExecutionResult().whenComplete((r, failure) -> {
                if (failure != null) {
                    server.abort(failure);
                } else if (!fitted.get()) {
                    server.abort(new IllegalStateException("the job ended before the fit did"));
                }
            });
            boolean done = false;
            try {
                server.awaitWorkers();
                GlmResult result = GlmFitter.fit(server, GlmModel.of(m.spec(), m.design()));
                Refitter refitter = new Refitter(m.spec(), m.design(), m.designSource(), String.join(",", files));
                // The diagnostics summary: one more pass, the workers' sums of their rows at the result. Not for
                // rows larger than the workers' memory: the Gini's steps take memory for each distinct score.
                WindowSummary.PreviousModel at = WindowSummary.PreviousModel.of("all", result);
                WindowSummary summary = null;
                if (server.allKeep()) {
                    SummarySums sums = at == null ? null : server.summary(new SummarySums.Request(at, null));
                    summary = sums == null
                            ? new WindowSummary(null, Double.NaN, Double.NaN, refitter.exposureWeighted(), null)
                            : sums.summary(m.design(), result, null, refitter.exposureWeighted());
                }
                fitted.set(true);
                server.finish();
                job.getJobExecutionResult().get();
                done = true;
                String json = refitter.record(m.modelName(), "all", "all", null, null, result.rows(), "exact",
                        result, 0, summary, Refitter.LARGER_THAN_MEMORY_SUMMARY);
                return new AllResult(json, result, server.deadLetters(), server.passes());
            } finally {
                if (!done) {
                    job.cancel();
                }
            }
        }
    }

    private static DataStream<Integer> fileIndexes(StreamExecutionEnvironment env, List<String> files) {
        return indexes(env, files.size(), "files");
    }

    /** 0 .. n-1, dealt round-robin over the subtasks (one each when n is the parallelism). */
    private static DataStream<Integer> indexes(StreamExecutionEnvironment env, int n, String name) {
        return env.fromData(Types.INT, IntStream.range(0, n).boxed().toArray(Integer[]::new))
                .name(name).rebalance().map(i -> i).returns(Types.INT).name(name.substring(0, name.length() - 1));
    }
}
