package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.fit.GlmFitter;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.operators.Refitter;
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

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Replay job graphs, in BATCH execution: windowed refits (and per-key {@code all}) with the stream's parsing,
 * encoding, window labels and refit numerics; and {@code all} over files as a driver loop of bounded passes over
 * cached row chunks ({@link DistributedPasses}), for data no single operator could hold.
 */
public final class ReplayJob {
    private static final TypeInformation<Tuple2<Long, Event>> ASSIGNED =
            new TupleTypeInfo<>(Types.LONG, SerializerTypeInfo.EVENT);
    private static final TypeInformation<Tuple2<Long, RowBuffer>> CHUNK =
            new TupleTypeInfo<>(Types.LONG, SerializerTypeInfo.ROW_BUFFER);

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
        DataStream<ReplayOutput> dead = records.filter(e -> !e.isRow()).returns(SerializerTypeInfo.EVENT)
                .map(e -> new ReplayOutput(true, FileReaders.deadLetterJson(e)))
                .returns(TypeInformation.of(ReplayOutput.class)).name("dead-letters");
        DataStream<ReplayOutput> refits = records.filter(Event::isRow).returns(SerializerTypeInfo.EVENT)
                .flatMap(new WindowRefit.Assign(m.window())).returns(ASSIGNED).name("assign-windows")
                .keyBy(WindowRefit::key, Types.STRING)
                .process(new WindowRefit(m.specJson(), m.designJson(), m.designSource(), input, m.window()))
                .returns(TypeInformation.of(ReplayOutput.class)).name("refit");
        return refits.union(dead);
    }

    /** The fit over all rows of the files, and the dead letters. */
    public record AllResult(String refitJson, GlmResult result, List<String> deadLetters, int passes) {
    }

    /**
     * Fits one model over all rows of the files by a driver loop of bounded passes. The rows are cut into the
     * chunks {@code streamglm fit} would use, read once, shuffled over the task slots and cached there. A single
     * CSV file is read as byte-range splits, one per subtask, by the {@code fit} command's parser
     * ({@link FileReaders.SplitChunks}); otherwise each file has one reader.
     */
    public static AllResult all(StreamExecutionEnvironment env, Model m, List<String> files, IntConsumer onPass)
            throws Exception {
        SingleOutputStreamOperator<Tuple2<Long, RowBuffer>> chunks;
        if (FileReaders.splittable(files, m.design())) {
            // one large CSV: byte-range splits, one per subtask, cut at chunk boundaries (CsvSplits)
            CsvSplits.Plan plan = CsvSplits.plan(java.nio.file.Path.of(files.get(0)),
                    Math.max(1, env.getParallelism()), InMemoryPasses.CHUNK_ROWS);
            chunks = indexes(env, plan.splits().size(), "splits")
                    .process(new FileReaders.SplitChunks(files.get(0), plan, m.timeField(), m.deserializer(),
                            m.specJson(), m.designJson()))
                    .returns(CHUNK).name("read-splits");
        } else {
            chunks = fileIndexes(env, files)
                    .process(new FileReaders.Chunks(files, m.timeField(), m.deserializer(), m.specJson(),
                            m.designJson()))
                    .returns(CHUNK).name("read-chunks");
        }
        DataStream<String> dead = chunks.getSideOutput(FileReaders.DEAD_LETTERS)
                .map(FileReaders::deadLetterJson).returns(Types.STRING);
        var cached = chunks.rebalance().map(c -> c).returns(CHUNK).name("spread-chunks")
                .setParallelism(env.getParallelism()).cache();
        DistributedPasses passes = new DistributedPasses(cached, dead, m.spec(), m.design(), onPass);
        GlmModel model = GlmModel.of(m.spec(), m.design());
        GlmResult result = GlmFitter.fit(passes, model);
        Refitter refitter = new Refitter(m.spec(), m.design(), m.designSource(), String.join(",", files));
        String json = refitter.record(m.modelName(), "all", "all", null, null, result.rows(), "exact", result, 0,
                null, Refitter.DISTRIBUTED_SUMMARY);
        cached.invalidate();
        return new AllResult(json, result, passes.deadLetters(), passes.passes());
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
