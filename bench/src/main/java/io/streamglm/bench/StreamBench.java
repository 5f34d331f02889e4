package io.streamglm.bench;

import io.streamglm.connectors.kafka.DeliveryCheck;
import io.streamglm.connectors.kafka.EmbeddedKafka;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamglm.connectors.record.RowEncoding;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.cli.StreamGlm;
import io.streamglm.job.cli.UsageException;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.refit.Refitter;
import io.streamglm.job.stream.FixedOffsets;
import io.streamglm.job.stream.StreamJob;
import io.streamglm.job.stream.StreamOptions;
import io.streamglm.job.synthetic.SyntheticClaims;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code Bench stream} (until issue 12 the hidden {@code streamglm bench-stream}): records per second through the
 * stream job (parse, encode, buffer, refit, exactly-once output) as a ratio to two pass-through jobs over the same
 * records of an embedded broker, in the same run, alternating, medians of the repeats: a bytes-only copy (Kafka to
 * Kafka, exactly-once, no parsing: the cost of Flink and Kafka alone, issue 15's baseline) and the earlier
 * baseline that also parses and encodes each record with the stream's deserializer (kept, so that the parse cost
 * inside a job shows as the difference of the two); and refit latency (the output record's timestamp minus its
 * {@code streamglm.triggered-at} header) as a ratio to fitting the same number of rows in memory, the fit phase of
 * {@code streamglm fit}. With {@code --fit-command} it also writes the records' rows to a CSV file and times
 * {@code streamglm fit} on it in the same JVM, against the stream job from its start to its end (its last refit
 * committed), then both as whole processes through the {@code ./streamglm} launcher (its JVM settings and class
 * archives; {@code java -jar streamglm.jar} without one), the stream with {@code --stop-after} on the same topic,
 * and prints the deviances: the backlog measure of issue 15, with {@code --window count:N}
 * for N records.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Benchmark the stream job's throughput against a pass-through Flink job.")
public final class StreamBench implements Callable<Integer> {
    private static final int PARTITIONS = 2;
    /** The first record's event time (2026-01-01); records are 1 ms apart. */
    static final long T0 = 1_767_225_600_000L;

    @Option(names = "--records", defaultValue = "400000", description = "records (default ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--window", defaultValue = "count:100000", description = "the stream job's window")
    String window;

    @Option(names = "--state-backend", defaultValue = "hashmap", description = "the stream job's state backend: hashmap or rocksdb")
    String stateBackend;

    @Option(names = "--shards", defaultValue = "1", description = "the stream job's shards per model (more than 1 needs"
            + " an event-time window, e.g. tumbling:100s: the records are 1 ms apart)")
    int shards;

    @Option(names = "--latency-rate", description = "also run the stream job once while records arrive at this many"
            + " per second (below capacity, as in a live stream) and report its refit latency")
    Integer latencyRate;

    @Option(names = "--repeats", defaultValue = "2", description = "runs of each job (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--fit-command", description = "also time `streamglm fit` (read, fit, write) on the same rows as a"
            + " CSV file against the stream job from start to end, in this JVM and as whole `java -jar` processes"
            + " (--repeats each, the stream stopping after the records), and print the deviances")
    boolean fitCommand;

    @Override public Integer call() throws Exception {
        if (records % PARTITIONS != 0) {
            throw new UsageException("--records must be even (two partitions)");
        }
        ModelSpec spec = SpecParser.parse(SyntheticClaims.poissonSpecWithLevels(), "spec");
        String specJson = SpecParser.toJson(spec).toString();
        FittedDesign design = DesignBuilder.freeze(spec);
        String designJson = ModelFile.designToJson(design);
        // --window and --shards are checked as every run's options will be, before the broker starts for nothing.
        streamOptions("127.0.0.1:9092", specJson, designJson, "in", "refits", 0);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(PARTITIONS, "in");
            produce(kafka.bootstrapServers(), "in", 0);
            double[] bytes = new double[repeats];
            double[] pass = new double[repeats];
            double[] stream = new double[repeats];
            List<Long> latencies = new ArrayList<>();
            List<Long> windowRows = new ArrayList<>();
            List<Double> deviances = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                kafka.createTopics(1, "bytes-" + r, "pass-" + r, "refits-" + r, "feedback-" + r);
                bytes[r] = bytesOnly(kafka.bootstrapServers(), "bytes-" + r, r);
                pass[r] = passThrough(kafka.bootstrapServers(), specJson, designJson, "pass-" + r, r);
                stream[r] = streamJob(kafka.bootstrapServers(), specJson, designJson, "in", "refits-" + r, r);
                readLatencies(kafka.bootstrapServers(), "refits-" + r, latencies, windowRows, deviances);
            }
            double b = median(bytes);
            double p = median(pass);
            double s = median(stream);
            long rows = windowRows.stream().sorted().toList().get(windowRows.size() / 2);
            double[] fits = fitSeconds(spec, design, (int) rows);
            double latency = median(latencies.stream().mapToDouble(v -> v / 1000.0).toArray());
            System.out.printf(Locale.ROOT, "records                 %,d in %d partitions (77 design columns)%n", records,
                    PARTITIONS);
            System.out.printf(Locale.ROOT, "bytes-only copy job     %.2f s  %,.0f records/s, %,.0f per core  (runs: %s)%n",
                    b, records / b, records / b / PARTITIONS, Arrays.toString(bytes));
            System.out.printf(Locale.ROOT, "parse pass-through job  %.2f s  %,.0f records/s, %,.0f per core  (runs: %s)%n",
                    p, records / p, records / p / PARTITIONS, Arrays.toString(pass));
            System.out.printf(Locale.ROOT, "stream job (%s, %s, %d shard(s))  %.2f s  %,.0f records/s, %,.0f per core"
                    + "  (runs: %s)%n", window, stateBackend, shards, s, records / s, records / s / PARTITIONS,
                    Arrays.toString(stream));
            System.out.printf(Locale.ROOT, "throughput ratio stream / bytes-only copy: %.2f (target >= 0.5), all at"
                    + " parallelism %d%n", b / s, PARTITIONS);
            System.out.printf(Locale.ROOT, "throughput ratio stream / parse pass-through: %.2f (target >= 0.7)%n", p / s);
            System.out.printf(Locale.ROOT, "refit latency           %.3f s median of %d refits of %,d rows (all: %s ms)%n",
                    latency, latencies.size(), rows, latencies);
            System.out.printf(Locale.ROOT, "fit of %,d rows          %.3f s median (runs: %s)%n", rows, median(fits),
                    Arrays.toString(fits));
            System.out.printf(Locale.ROOT, "latency ratio refit / fit: %.2f (target <= 1.5); an exactly-once consumer"
                    + " sees the record at the next checkpoint (interval 2 s here)%n", latency / median(fits));
            if (latencyRate != null) {
                pacedLatency(kafka, specJson, designJson, median(fits));
            }
            if (fitCommand) {
                compareFitCommand(kafka, s, stream, deviances);
            }
        }
        return 0;
    }

    /**
     * {@code streamglm fit} on the same rows, written as the {@code generate} command's CSV, three times in this JVM;
     * printed beside the stream job's whole run and with both deviances, which must agree.
     */
    private void compareFitCommand(EmbeddedKafka kafka, double streamSeconds, double[] streamRuns,
                                   List<Double> deviances) throws Exception {
        Path dir = Files.createTempDirectory("streamglm-bench-fit-");
        Path csv = dir.resolve("claims.csv");
        Path specFile = dir.resolve("poisson.json");
        SyntheticClaims.writeCsv(csv, records, 11);
        Files.writeString(specFile, SyntheticClaims.poissonSpec());
        double[] fits = new double[3];
        double fitDeviance = Double.NaN;
        for (int r = 0; r < fits.length; r++) {
            Path out = dir.resolve("fit-" + r + ".json");
            long t0 = System.nanoTime();
            int code = StreamGlm.commandLine().execute("fit", "--data", csv.toString(), "--spec", specFile.toString(),
                    "--out", out.toString(), "--quiet");
            fits[r] = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                throw new IllegalStateException("streamglm fit failed with exit code " + code);
            }
            fitDeviance = new ObjectMapper().readTree(out.toFile()).findValue("deviance").asDouble();
        }
        double fit = median(fits);
        System.out.printf(Locale.ROOT, "streamglm fit (same JVM) %.2f s median on the same %,d rows as CSV (runs: %s)%n",
                fit, records, Arrays.toString(fits));
        System.out.printf(Locale.ROOT, "stream job start to end / fit: %.2f (target <= 3; runs %s s)%n",
                streamSeconds / fit, Arrays.toString(streamRuns));
        System.out.printf(Locale.ROOT, "deviance: fit %s, stream refits %s%n", fitDeviance, deviances);

        // Whole processes, as a user runs them: `java -jar streamglm.jar fit` and `... stream` from JVM start to
        // exit (the stream stopping after the backlog, its refit committed), alternating, on this JVM's broker.
        Path jar = Path.of(StreamGlm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path levelsSpec = dir.resolve("poisson-levels.json");
        Files.writeString(levelsSpec, SyntheticClaims.poissonSpecWithLevels());
        double[] fitProcess = new double[repeats];
        double[] streamProcess = new double[repeats];
        List<Double> processDeviances = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            fitProcess[r] = process(jar, "fit", "--data", csv.toString(), "--spec", specFile.toString(), "--out",
                    dir.resolve("fit-process.json").toString(), "--quiet");
            kafka.createTopics(1, "whole-" + r);
            streamProcess[r] = process(jar, "stream", "--bootstrap-servers", kafka.bootstrapServers(), "--input", "in",
                    "--output", "whole-" + r, "--spec", levelsSpec.toString(), "--window", window, "--time-field",
                    "ts", "--stop-after", Long.toString(records / PARTITIONS), "--from-scratch", "--group-id",
                    "bench-whole-" + r, "--parallelism", Integer.toString(PARTITIONS), "--checkpoint-dir",
                    dir.resolve("checkpoints-" + r).toUri().toString());
            readLatencies(kafka.bootstrapServers(), "whole-" + r, new ArrayList<>(), new ArrayList<>(), processDeviances);
        }
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        System.out.printf(Locale.ROOT, "whole process (%s, STREAMGLM_CDS=%s): fit %.2f s, stream %.2f s (medians;"
                        + " runs %s and %s); stream / fit: %.2f (target <= 3); stream deviances %s%n",
                launcher != null ? launcher : "java -jar", System.getenv().getOrDefault("STREAMGLM_CDS", "1"),
                median(fitProcess), median(streamProcess), Arrays.toString(fitProcess), Arrays.toString(streamProcess),
                median(streamProcess) / median(fitProcess), processDeviances);
        try (var files = Files.walk(dir)) { // the CSV file and the checkpoints: hundreds of MB
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * The launcher whole processes run through ({@code bench/bench.sh} passes {@code ./streamglm}): the JVM settings
     * and class-data-sharing archives users get. Without it, {@code java -jar} with this JVM's heap cap.
     */
    static final String LAUNCHER_PROPERTY = "streamglm.launcher";

    /**
     * Seconds a {@code streamglm ...} process takes from start to exit, with this JVM's heap cap: through the
     * launcher ({@link #LAUNCHER_PROPERTY}) when there is one, else {@code java -jar streamglm.jar}.
     */
    private static double process(Path jar, String... args) throws Exception {
        String heap = Runtime.getRuntime().maxMemory() / (1 << 20) + "m";
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        List<String> command = new ArrayList<>(launcher != null ? List.of(launcher)
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                        "-XX:+UseParallelGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        long t0 = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("STREAMGLM_HEAP", heap);
        Process p = builder.start();
        int code = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("streamglm " + args[0] + " exited with " + code);
        }
        return seconds;
    }

    /**
     * The stream job once more, on records written at {@code --latency-rate} while it runs: the refit latency of a
     * stream that the job keeps up with, rather than of a backlog read as fast as possible.
     */
    private void pacedLatency(EmbeddedKafka kafka, String specJson, String designJson, double fitSeconds)
            throws Exception {
        kafka.createTopics(PARTITIONS, "in-paced");
        kafka.createTopics(1, "refits-paced", "feedback-" + repeats);
        Thread producer = new Thread(() -> produce(kafka.bootstrapServers(), "in-paced", latencyRate), "paced-producer");
        producer.start();
        double seconds = streamJob(kafka.bootstrapServers(), specJson, designJson, "in-paced", "refits-paced", repeats);
        producer.join();
        List<Long> latencies = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        readLatencies(kafka.bootstrapServers(), "refits-paced", latencies, rows, new ArrayList<>());
        double latency = median(latencies.stream().mapToDouble(v -> v / 1000.0).toArray());
        System.out.printf(Locale.ROOT, "paced at %,d records/s: job %.1f s, refit latency %.3f s median of %d refits of"
                        + " %s rows (all: %s ms); ratio to the fit: %.2f (target <= 1.5)%n", latencyRate, seconds, latency,
                latencies.size(), rows, latencies, latency / fitSeconds);
    }

    /** Writes the records into {@code topic}, at {@code rate} per second (0: as fast as possible). */
    private void produce(String bootstrap, String topic, int rate) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 18);
        SyntheticClaims.Generator g = new SyntheticClaims.Generator(11);
        DeliveryCheck delivery = new DeliveryCheck();
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                if (rate > 0 && i % 1000 == 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                SyntheticClaims.Row row = g.next();
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, jsonRecord(row, T0 + i)), delivery);
            }
            producer.flush();
        }
        delivery.throwIfFailed("the benchmark's input topic " + topic);
    }

    /** The benchmark's JSON record of one row at event time {@code ts} (epoch ms). */
    static byte[] jsonRecord(SyntheticClaims.Row row, long ts) {
        StringBuilder json = new StringBuilder(320).append("{\"ts\":").append(ts);
        for (int j = 0; j < row.x().length; j++) {
            json.append(",\"x").append(j + 1).append("\":").append(row.x()[j]);
        }
        json.append(",\"cat20\":\"").append(SyntheticClaims.levelA(row.a())).append("\",\"cat50\":\"")
                .append(SyntheticClaims.levelB(row.b())).append("\",\"exposure\":").append(row.exposure())
                .append(",\"claims\":").append(row.claims()).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The spec's {@code csv_header} for {@link #csvRecord}'s lines, as JSON. */
    static final String CSV_HEADER = "[\"ts\", \"x1\", \"x2\", \"x3\", \"x4\", \"x5\", \"x6\", \"x7\", \"x8\","
            + " \"cat20\", \"cat50\", \"exposure\", \"claims\"]";

    /** The same row as a CSV line of {@link #CSV_HEADER}'s fields. */
    static byte[] csvRecord(SyntheticClaims.Row row, long ts) {
        StringBuilder csv = new StringBuilder(160).append(ts);
        for (double x : row.x()) {
            csv.append(',').append(x);
        }
        csv.append(',').append(SyntheticClaims.levelA(row.a())).append(',').append(SyntheticClaims.levelB(row.b()))
                .append(',').append(row.exposure()).append(',').append(row.claims());
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Refit latency of each output record (record timestamp minus trigger header), its window's rows and deviance. */
    private static void readLatencies(String bootstrap, String topic, List<Long> latencies, List<Long> rows,
                                      List<Double> deviances) throws Exception {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        ObjectMapper mapper = new ObjectMapper();
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Header h = r.headers().lastHeader(StreamJob.TRIGGERED_HEADER);
                    long triggered = Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
                    latencies.add(r.timestamp() - triggered);
                    var refit = mapper.readTree(r.value());
                    rows.add(refit.path("rows").asLong());
                    deviances.add(refit.findValue("deviance") == null ? Double.NaN
                            : refit.findValue("deviance").asDouble());
                }
            }
        }
    }

    /** Seconds to fit {@code n} rows of the same data in memory, as the refit operator does, three times. */
    private static double[] fitSeconds(ModelSpec spec, FittedDesign design, int n) {
        Refitter refitter = new Refitter(spec, design, "spec", "bench");
        RowEncoding encoding = new RowEncoding(spec, "m", design);
        RowBuffer rows = refitter.newBuffer();
        SyntheticClaims.Generator g = new SyntheticClaims.Generator(11);
        for (int i = 0; i < n; i++) {
            encoding.encode(g.next().toRecord(i)).row().appendTo(rows, i);
        }
        double[] seconds = new double[3];
        for (int r = 0; r < seconds.length; r++) {
            long t0 = System.nanoTime();
            refitter.exact(rows);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        return seconds;
    }

    /**
     * Kafka in, the record's bytes out, exactly once, nothing else: what Flink and Kafka cost the stream job at the
     * same parallelism, with the same settings.
     */
    private double bytesOnly(String bootstrap, String out, int run) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                StreamJob.configuration("hashmap", StreamJob.localCheckpointDir(null)));
        env.setParallelism(PARTITIONS);
        env.enableCheckpointing(2000, org.apache.flink.core.execution.CheckpointingMode.EXACTLY_ONCE);
        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder().setBootstrapServers(bootstrap).setTopics("in")
                .setGroupId("bench-bytes-" + run).setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(new FixedOffsets(records / PARTITIONS)).setDeserializer(new ValueBytes())
                .setProperty("isolation.level", "read_committed").build();
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", "600000");
        KafkaRecordSerializationSchema<byte[]> serializer = (value, context, timestamp) -> new ProducerRecord<>(out, value);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-in")
                .sinkTo(KafkaSink.<byte[]>builder().setBootstrapServers(bootstrap).setKafkaProducerConfig(producer)
                        .setRecordSerializer(serializer).setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("bench-bytes-" + run).build());
        return timed(env, "bench bytes-only copy");
    }

    /** A Kafka record's value as it is. */
    private static final class ValueBytes implements KafkaRecordDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
            out.collect(record.value());
        }

        @Override public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }

    /** Kafka in, parse and encode (the stream's own deserializer), the record's bytes out, exactly once. */
    private double passThrough(String bootstrap, String specJson, String designJson, String out, int run)
            throws Exception {
        // The stream job's own settings (checkpoints in files, restarts): the two jobs differ only in their graph.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                StreamJob.configuration("hashmap", StreamJob.localCheckpointDir(null)));
        env.setParallelism(PARTITIONS);
        env.enableCheckpointing(2000, org.apache.flink.core.execution.CheckpointingMode.EXACTLY_ONCE);
        KafkaSource<Event> source = KafkaSource.<Event>builder().setBootstrapServers(bootstrap).setTopics("in")
                .setGroupId("bench-pass-" + run).setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(new FixedOffsets(records / PARTITIONS))
                .setDeserializer(new EventDeserializer(specJson, designJson, "m", "ts", null, 0)).build();
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", "600000");
        KafkaRecordSerializationSchema<byte[]> serializer = (value, context, timestamp) -> new ProducerRecord<>(out, value);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-in")
                .filter(Event::isRow).map(Event::original).returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .sinkTo(KafkaSink.<byte[]>builder().setBootstrapServers(bootstrap).setKafkaProducerConfig(producer)
                        .setRecordSerializer(serializer).setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("bench-pass-" + run).build());
        return timed(env, "bench pass-through");
    }

    /** The stream job's options for one run: its broker, topics and consumer group. */
    private StreamOptions streamOptions(String bootstrap, String specJson, String designJson, String in, String out,
                                        int run) {
        return StreamOptions.builder(bootstrap, in, out, specJson, designJson, "spec", WindowSpec.parse(window))
                .modelName("m").timeField("ts").maxOutOfOrdernessMillis(1000).refitEvery(1_000_000)
                .parallelism(PARTITIONS).boundedOffset((long) records / PARTITIONS).groupId("bench-stream-" + run)
                .sourceParallelism(PARTITIONS).shards(shards).feedback("feedback-" + run).maxTimeSkewMillis(0).build();
    }

    /** The stream job itself on the same records. */
    private double streamJob(String bootstrap, String specJson, String designJson, String in, String out, int run)
            throws Exception {
        long[] ends;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ends = StreamJob.endOffsets(admin, in, PARTITIONS); // as the command reads them at launch
        }
        StreamOptions o = streamOptions(bootstrap, specJson, designJson, in, out, run).toBuilder().backlogEnds(ends)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                StreamJob.configuration(stateBackend, StreamJob.localCheckpointDir(null)));
        StreamJob.build(env, o, s -> s);
        return timed(env, "bench stream");
    }

    /** Seconds a job takes to its end; one that does not finish in ten minutes fails the benchmark. */
    private static double timed(StreamExecutionEnvironment env, String name) throws Exception {
        long t0 = System.nanoTime();
        StreamJob.runToEnd(env, name, Duration.ofMinutes(10));
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
