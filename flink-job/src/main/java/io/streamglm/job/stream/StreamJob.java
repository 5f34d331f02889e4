package io.streamglm.job.stream;

import io.streamglm.job.core.Event;
import io.streamglm.job.core.Partial;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.ControlCommand;
import io.streamglm.job.operators.ControlDeserializer;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.operators.JobMetrics;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.operators.RefitWithoutControl;
import io.streamglm.job.refit.RefitOutput;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.shards.CoordinatorOperator;
import io.streamglm.job.shards.FeedbackSource;
import io.streamglm.job.shards.PassCoordinator;
import io.streamglm.job.shards.ShardFunction;
import io.streamglm.job.shards.ShardKeys;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Builds the stream job graph: Kafka records are parsed and encoded at the source (bad ones become dead
 * letters), keyed by model id into {@link RefitFunction} (window buffers, refits, on-demand refits from the
 * control topic through broadcast state), and the refits written to the output topic with exactly-once delivery
 * (transactional sink committed on checkpoints); dead letters keep their original bytes, with the reason and
 * source offset in headers.
 */
public final class StreamJob {
    public static final String REASON_HEADER = "streamglm.reason";
    public static final String DETAIL_HEADER = "streamglm.detail";
    public static final String SOURCE_HEADER = "streamglm.source";
    /** Output header: wall-clock milliseconds when the refit was triggered (latency = record timestamp - this). */
    public static final String TRIGGERED_HEADER = "streamglm.triggered-at";

    private StreamJob() {
    }

    /**
     * The configuration a local stream job runs with: {@link #baseConfiguration}, restarts without a lifetime limit
     * ({@link RestartStrategy#DEFAULT}), the state backend, and the checkpoint directory when one is given (else the
     * cluster's own checkpoint storage applies; a local run passes {@link #localCheckpointDir}).
     */
    public static Configuration configuration(String stateBackend, String checkpointDir) {
        Configuration conf = baseConfiguration();
        RestartStrategy.DEFAULT.applyTo(conf);
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        return conf;
    }

    /**
     * What every stream job sets, on any cluster: no generic types (so Kryo cannot sneak in), and checkpoints kept
     * when the job is cancelled or fails, so that the same command started again can resume from the newest.
     */
    public static Configuration baseConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return conf;
    }

    /**
     * The checkpoint directory of a job on a local MiniCluster: the given one, else a fresh directory under the
     * temp dir. Flink's default keeps checkpoints in the JobManager's memory with a 5 MB cap, which a window of
     * 100,000 rows (12 MB) exceeds, and a checkpoint failure restarts the job.
     */
    public static String localCheckpointDir(String given) {
        if (given != null) {
            return given;
        }
        try {
            return Files.createTempDirectory("streamglm-checkpoints-").toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a checkpoint directory; give one with --checkpoint-dir", e);
        }
    }

    /**
     * Runs a bounded job to its end, or fails after {@code limit} with the job's status rather than wait forever
     * (a bounded job whose input never arrives, or that keeps restarting, would otherwise hang its caller).
     */
    public static void runToEnd(StreamExecutionEnvironment env, String name, Duration limit) throws Exception {
        JobClient job = env.executeAsync(name);
        try {
            job.getJobExecutionResult().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String status = String.valueOf(job.getJobStatus().get());
            job.cancel();
            throw new IllegalStateException(name + " did not finish in " + limit.toMinutes() + " minutes (status "
                    + status + ")", e);
        }
    }

    /**
     * The end offset of each partition of {@code topic} (read_committed), by partition: where the backlog a job
     * finds at launch ends ({@link StreamOptions.Builder#backlogEnds}).
     */
    public static long[] endOffsets(Admin admin, String topic, int partitions) throws InterruptedException,
            ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long[] ends = new long[partitions];
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends[tp.partition()] = info.offset());
        return ends;
    }

    /** Adds the job to {@code env}; {@code beforeKeyBy} lets tests insert an operator (e.g. a failure). */
    public static void build(StreamExecutionEnvironment env, StreamOptions o, UnaryOperator<DataStream<Event>> beforeKeyBy) {
        env.enableCheckpointing(o.checkpointIntervalMillis(), org.apache.flink.core.execution.CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().setCheckpointIntervalDuringBacklog(o.checkpointIntervalDuringBacklogMillis());
        env.setParallelism(o.parallelism());

        var sourceBuilder = KafkaSource.<Event>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(o.input())
                .setGroupId(o.groupId())
                .setStartingOffsets(o.fromScratch() ? OffsetsInitializer.earliest()
                        : OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new EventDeserializer(o.specJson(), o.designJson(), o.modelName(), o.timeField(),
                        o.keyField(), o.maxTimeSkewMillis()))
                .setProperty("isolation.level", "read_committed")
                // Larger fetches than Kafka's defaults (1 MB per partition, 500 records a poll): a backlog of a
                // million 175-byte records was read about 0.5 s sooner of 9 (docs/performance.md); a live stream's
                // fetches hold what has arrived, whatever the cap. --kafka-property overrides both.
                .setProperty("max.partition.fetch.bytes", Integer.toString(8 << 20))
                .setProperty("max.poll.records", "10000");
        o.kafkaProperties().forEach(sourceBuilder::setProperty);
        if (o.boundedOffset() != null) {
            sourceBuilder.setBounded(new FixedOffsets(o.boundedOffset()));
        }
        long delay = o.maxOutOfOrdernessMillis();
        boolean everyRecord = o.watermarkEveryRecord();
        WatermarkStrategy<Event> watermarks = WatermarkStrategy
                .<Event>forGenerator(c -> new RowWatermarks(delay, everyRecord))
                .withTimestampAssigner((e, ts) -> e.timestamp());
        if (o.idleTimeoutMillis() > 0) {
            // Opt-in only: a partition marked idle while it is merely slow (a restore, backpressure, a broker
            // hiccup) lets event time pass rows it has not delivered yet, and they become late dead letters.
            watermarks = watermarks.withIdleness(Duration.ofMillis(o.idleTimeoutMillis()));
        }
        KafkaSource<Event> kafka = sourceBuilder.build();
        long[] ends = o.backlogEnds();
        // Only a launcher that read the input's end offsets can tell when the backlog is read; without them the
        // source reports none, and the regular interval applies throughout.
        Source<Event, ?, ?> source = ends.length > 0
                ? new BacklogSource(kafka, ends) : kafka;
        DataStream<Event> events = env.fromSource(source, watermarks, "kafka-in")
                .setParallelism(o.sourceParallelism())
                .uid("kafka-in")
                .returns(SerializerTypeInfo.EVENT);
        events = beforeKeyBy.apply(events);

        // Chained to the source (same parallelism): no rebalance reorders rows before they are keyed.
        int sourceParallelism = o.sourceParallelism();
        DataStream<Event> rows = events.filter(Event::isRow).name("rows").returns(SerializerTypeInfo.EVENT)
                .setParallelism(sourceParallelism);
        if (!rowsCanBeLate(o.window())) {
            // the original bytes only serve a row that turns out late: count and global windows have none
            rows = rows.map(Event::withoutOriginal).name("rows-without-bytes").returns(SerializerTypeInfo.EVENT)
                    .setParallelism(sourceParallelism);
        }
        DataStream<Event> bad = events.filter(e -> !e.isRow()).name("bad-records").returns(SerializerTypeInfo.EVENT)
                .setParallelism(sourceParallelism);

        Refits refitted = o.shards() > 1 ? distributedRefits(env, o, rows) : localRefits(env, o, rows);
        SingleOutputStreamOperator<RefitOutput> refits = refitted.refits()
                .map(new JobMetrics.Refits(o.modelName())).name("refit-metrics").uid("refit-metrics")
                .returns(TypeInformation.of(RefitOutput.class));

        refits.sinkTo(KafkaSink.<RefitOutput>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setKafkaProducerConfig(producerProperties(o))
                .setRecordSerializer(new RefitSerializer(o.output()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(o.transactionalIdPrefix() + "-out")
                .build()).name("kafka-out").uid("kafka-out");

        DataStream<Event> dead = bad.union(refitted.late()).map(new JobMetrics.DeadLetters(o.modelName()))
                .name("dead-letter-metrics").uid("dead-letter-metrics").returns(SerializerTypeInfo.EVENT);
        if (o.deadLetter() != null) {
            dead.sinkTo(KafkaSink.<Event>builder()
                    .setBootstrapServers(o.bootstrapServers())
                    .setKafkaProducerConfig(producerProperties(o))
                    .setRecordSerializer(new DeadLetterSerializer(o.deadLetter()))
                    .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(o.transactionalIdPrefix() + "-dlq")
                    .build()).name("dead-letters-out").uid("dead-letters-out");
        }
    }

    /**
     * Whether the refit side can turn a row into a dead letter (it arrives after every window it belongs to was
     * refitted): only in event-time windows, tumbling or sliding. Count and global windows take every row.
     */
    static boolean rowsCanBeLate(WindowSpec window) {
        return window.timeBased();
    }

    /** The refit records, and the rows that came too late for any window. */
    private record Refits(SingleOutputStreamOperator<RefitOutput> refits, DataStream<Event> late) {
    }

    /** Each model's windows refitted by one keyed operator ({@link RefitFunction}), with on-demand refits. */
    private static Refits localRefits(StreamExecutionEnvironment env, StreamOptions o, DataStream<Event> rows) {
        RefitFunction refit = new RefitFunction(setup(o), o.window(), o.allowedLatenessMillis(), o.retainMillis(), o.refitEvery(), o.mode(), o.forgetting(), o.cells());
        KeyedStream<Event, String> keyed = rows.keyBy(e -> e.row().model(), Types.STRING);
        SingleOutputStreamOperator<RefitOutput> refits;
        if (o.control() == null) {
            refits = keyed.process(new RefitWithoutControl(refit)).uid("refit");
        } else {
            DataStream<ControlCommand> commands = env.fromSource(controlSource(o),
                            WatermarkStrategy.forGenerator(c -> new NoEventTime<ControlCommand>()), "control-in")
                    .uid("control-in")
                    .returns(TypeInformation.of(ControlCommand.class));
            refits = keyed.connect(commands.broadcast()).transform("refit", TypeInformation.of(RefitOutput.class),
                    new RowTimeBroadcastOperator<>(refit, RefitFunction.controlDescriptor())).uid("refit");
        }
        refits = refits.returns(TypeInformation.of(RefitOutput.class)).name("refit");
        return new Refits(refits, refits.getSideOutput(RefitFunction.DEAD_LETTERS));
    }

    /**
     * Each model's rows spread over (model, shard) keys ({@link ShardFunction}); a coordinator keyed by model
     * ({@link PassCoordinator}) runs the IRLS loop, merging the shards' accumulators in shard order, and sends
     * each next pass to the shards through the feedback topic, read back as a broadcast stream. The loop leaves
     * the job graph through Kafka because Flink 2 has no iterations. The feedback is written at least once (a
     * transaction would hold each pass until the next checkpoint), and the loop's few, small records are sent on
     * at once rather than after Flink's network buffer timeout (100 ms per hop, per pass). The messages are tagged
     * with the job run, model, window and pass number, and a shard answers each pass once; after a restore, shards
     * ignore what the failed attempt sent after the restored checkpoint
     * ({@link io.streamglm.job.shards.Feedback#validFor}).
     */
    private static Refits distributedRefits(StreamExecutionEnvironment env, StreamOptions o, DataStream<Event> rows) {
        String job = UUID.randomUUID().toString(); // a new run must not take an older run's feedback as its own
        DataStream<byte[]> feedback = env.fromSource(new FeedbackSource(feedbackSource(o), job),
                        WatermarkStrategy.forGenerator(c -> new NoEventTime<byte[]>()), "feedback-in",
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .setParallelism(1)
                .uid("feedback-in")
                .setBufferTimeout(0);
        SingleOutputStreamOperator<Partial> partials = rows
                .keyBy(new ShardKeys(o.shards(), o.parallelism()), Types.STRING)
                .connect(feedback.broadcast())
                .transform("shards", SerializerTypeInfo.PARTIAL, new RowTimeBroadcastOperator<>(new ShardFunction(
                        setup(o), o.window(), o.allowedLatenessMillis(), job, o.cells()),
                        ShardFunction.feedbackDescriptor()))
                .setMaxParallelism(ShardKeys.MAX_PARALLELISM)
                .uid("shards")
                .setBufferTimeout(0);
        SingleOutputStreamOperator<RefitOutput> refits = partials
                .keyBy(Partial::model, Types.STRING)
                .transform("pass-coordinator", TypeInformation.of(RefitOutput.class), new CoordinatorOperator(
                        new PassCoordinator(setup(o), o.window(), o.allowedLatenessMillis(), job, o.cells())))
                .uid("pass-coordinator")
                .setBufferTimeout(0);
        Properties producer = producerProperties(o);
        producer.setProperty("linger.ms", "0"); // each pass waits for this message: send it at once
        refits.getSideOutput(PassCoordinator.FEEDBACK).sinkTo(KafkaSink.<byte[]>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(new FeedbackSerializer(o.feedback()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build()).name("feedback-out").uid("feedback-out");
        return new Refits(refits, partials.getSideOutput(RefitFunction.DEAD_LETTERS));
    }

    private static KafkaSource<byte[]> feedbackSource(StreamOptions o) {
        var b = KafkaSource.<byte[]>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(o.feedback())
                .setGroupId(o.groupId() + "-feedback")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class));
        o.kafkaProperties().forEach(b::setProperty);
        return b.build();
    }

    /**
     * Bounded out-of-orderness over rows only: a dead letter's time (often the transport's, "now") must not move
     * event time. Emitted periodically, or with every row that advances it so that a row's lateness depends only
     * on the rows before it.
     */
    static final class RowWatermarks implements org.apache.flink.api.common.eventtime.WatermarkGenerator<Event> {
        private final long delay;
        private final boolean everyRecord;
        private long max = Long.MIN_VALUE;

        RowWatermarks(long delay, boolean everyRecord) {
            this.delay = delay;
            this.everyRecord = everyRecord;
        }

        @Override public void onEvent(Event event, long timestamp,
                                      org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            if (event.isRow() && timestamp > max) {
                max = timestamp;
                if (everyRecord) {
                    output.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(max - delay - 1));
                }
            }
        }

        @Override public void onPeriodicEmit(org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            if (!everyRecord && max != Long.MIN_VALUE) {
                output.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(max - delay - 1));
            }
        }
    }

    /**
     * Control commands and feedback messages carry no event time: their input reports the end of time, so that the
     * operator's watermark (the smaller of its two inputs') is the rows' watermark.
     */
    static final class NoEventTime<T> implements org.apache.flink.api.common.eventtime.WatermarkGenerator<T> {
        @Override public void onEvent(T event, long timestamp,
                                      org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            output.emitWatermark(org.apache.flink.api.common.eventtime.Watermark.MAX_WATERMARK);
        }

        @Override public void onPeriodicEmit(org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            output.emitWatermark(org.apache.flink.api.common.eventtime.Watermark.MAX_WATERMARK);
        }
    }

    /** Output records keyed by model id. */
    static final class RefitSerializer implements KafkaRecordSerializationSchema<RefitOutput> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        RefitSerializer(String topic) {
            this.topic = topic;
        }

        @Override public ProducerRecord<byte[], byte[]> serialize(RefitOutput r, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(TRIGGERED_HEADER, Long.toString(r.triggeredAtMillis()).getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(topic, null, null, r.model().getBytes(StandardCharsets.UTF_8),
                    r.json().getBytes(StandardCharsets.UTF_8), headers);
        }
    }

    /**
     * Feedback messages, stamped with the wall clock: with the event time of the window (which may be days old in
     * a replay) the broker would roll and delete the topic's segments by retention time while passes are unread.
     */
    static final class FeedbackSerializer implements KafkaRecordSerializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        FeedbackSerializer(String topic) {
            this.topic = topic;
        }

        @Override public ProducerRecord<byte[], byte[]> serialize(byte[] message, KafkaSinkContext context,
                                                                  Long timestamp) {
            return new ProducerRecord<>(topic, null, null, null, message);
        }
    }

    /** Dead letters: the original bytes as the value; reason, detail and source offset as headers. */
    static final class DeadLetterSerializer implements KafkaRecordSerializationSchema<Event> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        DeadLetterSerializer(String topic) {
            this.topic = topic;
        }

        @Override public ProducerRecord<byte[], byte[]> serialize(Event e, KafkaSinkContext context, Long timestamp) {
            return deadLetter(topic, e);
        }
    }

    static ProducerRecord<byte[], byte[]> deadLetter(String topic, Event e) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, e.bad().reason().getBytes(StandardCharsets.UTF_8));
        headers.add(DETAIL_HEADER, e.bad().detail().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, (e.topic() + "/" + e.partition() + "/" + e.offset()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, null, null, e.original() == null ? new byte[0] : e.original(), headers);
    }

    private static Properties producerProperties(StreamOptions o) {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", "600000");
        o.kafkaProperties().forEach(p::setProperty);
        return p;
    }

    private static KafkaSource<ControlCommand> controlSource(StreamOptions o) {
        var b = KafkaSource.<ControlCommand>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(o.control())
                .setGroupId(o.groupId() + "-control")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ControlDeserializer());
        if (o.boundedOffset() != null) {
            b.setBounded(OffsetsInitializer.latest()); // a bounded run must be able to end
        }
        o.kafkaProperties().forEach(b::setProperty);
        return b.build();
    }

    /** What the refit operators make their refitter from: the options' spec, design and their provenance. */
    private static Refitter.Setup setup(StreamOptions o) {
        return new Refitter.Setup(o.specJson(), o.designJson(), o.designSource(), o.input());
    }
}
