package io.streamglm.job.stream;

import io.streamglm.job.operators.RefitFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator of the stream job relies on, each against a real broker: a plain checkpoint path; a restart
 * that refuses to lose rows; a broker restart mid-stream; a record from the year 2999; the Prometheus endpoint.
 */
class StreamOperationsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int PER_HOUR = 200;
    private static final int HOURS = 4;

    /**
     * {@code --checkpoint-dir ck} (relative, no scheme) checkpoints under the working directory; started again
     * after its checkpoints are gone, the command refuses to run on the group's committed offsets and names the
     * fixes; a bad directory is one line and exit code 2.
     */
    @Test
    void plainCheckpointPathsWorkAndLostStateIsRefused() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        Topics t = Topics.create(kafka);
        List<StreamTestData.Row> rows = written(kafka, t, 81);
        Path work = Files.createTempDirectory("streamglm-cwd-");
        String group = StreamTestJobs.unique("group");
        List<String> args = args(kafka, t, group, "ck");
        Path log = work.resolve("run.log");
        runIn(work, args, log, kafka, t.out, StreamCli.rowsByRefit(rows).size(), group, t.in);
        try (Stream<Path> files = Files.walk(work.resolve("ck").resolve(group))) {
            assertThat(files.anyMatch(p -> p.getFileName().toString().equals("_metadata")))
                    .as("a completed checkpoint under the relative directory").isTrue();
        }

        deleteTree(work.resolve("ck"));
        Result refused = runToExit(work, args);
        assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output().strip().lines().filter(l -> l.startsWith("error:")).toList()).singleElement()
                .asString().contains("committed offsets", "--from-scratch", "--resume-from");

        List<String> bad = args(kafka, t, StreamTestJobs.unique("group"), "/proc/streamglm/ck");
        Result badDir = runToExit(work, bad);
        assertThat(badDir.exit()).as(badDir.output()).isEqualTo(2);
        assertThat(badDir.output()).contains("error: --checkpoint-dir: cannot create").doesNotContain("\tat ");
    }

    /**
     * A backlog is read at {@code --checkpoint-interval-during-backlog} and the regular interval comes back once
     * every reader has read what was there at launch: with an hour's interval during the backlog, the refits of
     * the backlog's windows become visible (they commit at a checkpoint) only if its end is found. Partition 0
     * ends with the rows; partition 1 with an aborted transaction, whose records are never delivered, so its
     * reader finds the end by going idle.
     */
    @Test
    void aBacklogIsCheckpointedAtItsOwnIntervalUntilItsEnd() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        Topics t = Topics.create(kafka);
        List<StreamTestData.Row> rows = written(kafka, t, 82);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrap(),
                "transactional.id", StreamTestJobs.unique("aborting")), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(t.in, 1, null, rows.get(i).json())).get();
            }
            producer.abortTransaction();
        }
        Path work = Files.createTempDirectory("streamglm-backlog-");
        List<String> args = args(kafka, t, StreamTestJobs.unique("group"), work.resolve("ck").toString());
        args.addAll(List.of("--checkpoint-interval-during-backlog", "1h"));
        Path log = work.resolve("run.log");
        Process p = StreamCli.start(args, log);
        try {
            StreamCli.awaitRefits(kafka, t.out, StreamCli.rowsByRefit(rows).size(), p, log, Duration.ofMinutes(2));
            assertThat(Files.readString(log)).contains("checkpoints every 1000 ms (every 3600000 ms while reading the"
                    + " backlog, up to " + (rows.size() + 2 + 4) + " records in " + t.in + ")");
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertThat(StreamCli.rowsOf(kafka.refitOutputs(t.out, StreamCli.rowsByRefit(rows).size())))
                .isEqualTo(StreamCli.rowsByRefit(rows));
    }

    /** A broker stopped and started again on its log directory mid-stream changes no refit record. */
    /**
     * A topic the job would read or write that is not on a broker that does not create topics: one error line
     * naming the option and the topic, before any job starts, instead of a Kafka writer that times out and is
     * restarted for ever.
     */
    @Test
    void missingTopicsAreRefusedInOneLineBeforeTheJobStarts() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        Topics t = Topics.create(kafka);
        String group = StreamTestJobs.unique("group");
        String ck = Files.createTempDirectory("ck-missing").toString();
        String[][] cases = {
                {"--output", StreamTestJobs.unique("no-out")},
                {"--dead-letter", StreamTestJobs.unique("no-dlq")},
                {"--input", StreamTestJobs.unique("no-in")}};
        for (String[] c : cases) {
            List<String> args = args(kafka, t, group, ck);
            args.set(args.indexOf(c[0]) + 1, c[1]);
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cl = io.streamglm.job.cli.StreamGlm.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            long t0 = System.nanoTime();
            int code = cl.execute(args.toArray(String[]::new));
            assertThat(code).as(err.toString()).isEqualTo(io.streamglm.job.cli.StreamGlm.EXIT_BAD_INPUT);
            assertThat(err.toString().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("error: " + c[0] + " " + c[1] + ": no such topic on " + kafka.bootstrap())
                    .contains("create it"));
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        }
    }

    @Test
    void aBrokerRestartChangesNoRefit() throws Exception {
        try (KafkaTestSupport kafka = KafkaTestSupport.dedicated()) {
            Topics t = Topics.create(kafka);
            List<StreamTestData.Row> rows = StreamTestData.rows("poisson", PER_HOUR * 5, HOURS, 82);
            int expected = StreamCli.rowsByRefit(rows).size();
            Thread producer = StreamCli.produceWhileRunning(kafka.bootstrap(), t.in, values(rows), 2, 200);
            Path work = Files.createTempDirectory("streamglm-broker-");
            Process p = StreamCli.start(args(kafka, t, StreamTestJobs.unique("group"), work.resolve("ck").toString()),
                    work.resolve("run.log"));
            try {
                Thread.sleep(12_000);
                assertThat(p.isAlive()).as(StreamCli.tail(work.resolve("run.log"))).isTrue();
                kafka.kafka.restart(Duration.ofSeconds(5));
                producer.join();
                StreamCli.awaitRefits(kafka, t.out, expected, p, work.resolve("run.log"), Duration.ofMinutes(4));
                Thread.sleep(3000);
            } finally {
                p.destroyForcibly().waitFor();
            }
            Topics ref = Topics.create(kafka);
            StreamCli.runUntilRefits(args(kafka, new Topics(t.in, ref.out, ref.dlq), StreamTestJobs.unique("group"),
                    work.resolve("ck-ref").toString()), work.resolve("ref.log"), kafka, ref.out, expected,
                    Duration.ofMinutes(3));
            Map<String, String> reference = kafka.refitOutputs(ref.out, expected);
            assertThat(StreamCli.rowsOf(reference)).isEqualTo(StreamCli.rowsByRefit(rows));
            assertThat(kafka.refitOutputs(t.out, expected)).isEqualTo(reference);
        }
    }

    /**
     * One record from the year 2999 among the rows is a {@code time_out_of_range} dead letter; it closes no window,
     * so every refit still holds all its rows.
     */
    @Test
    void aRecordFarInTheFutureIsADeadLetterAndClosesNoWindow() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        Topics t = Topics.create(kafka, 1);
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", PER_HOUR, HOURS, 83);
        List<byte[]> values = new ArrayList<>(values(rows));
        long year2999 = java.time.Instant.parse("2999-01-01T00:00:00Z").toEpochMilli();
        values.add(values.size() / 3, new StreamTestData.Row(year2999, 0.1, 0.2, "a", "north", 1, 0.5).json());
        kafka.send(t.in, values);
        StreamTestJobs.run(StreamTestJobs.options(kafka, StreamTestData.spec("poisson", ", \"exposure\": \"expo\""),
                "tumbling:1h", t.in, t.out, t.dlq, null, null, RefitFunction.Mode.EXACT, (long) values.size()), s -> s);
        Map<String, Long> expected = new java.util.TreeMap<>();
        StreamCli.rowsByRefit(rows).forEach((k, v) -> expected.merge("m " + k.substring(k.indexOf(' ') + 1), v, Long::sum));
        assertThat(StreamCli.rowsOf(kafka.refitOutputs(t.out, expected.size()))).isEqualTo(expected);
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAll(t.dlq, 1, Duration.ofSeconds(30));
        assertThat(dead).singleElement().satisfies(r -> assertThat(new String(
                r.headers().lastHeader(StreamJob.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("time_out_of_range"));
    }

    /** {@code --metrics-port} serves the job's own metrics to Prometheus while it runs. */
    @Test
    void metricsAreServedForPrometheus() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        Topics t = Topics.create(kafka);
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", PER_HOUR, HOURS, 84);
        List<byte[]> values = new ArrayList<>(values(rows));
        values.add("{\"ts\": 1767225600000, \"x1\": \"not a number\"}".getBytes(StandardCharsets.UTF_8));
        StreamCli.produceWhileRunning(kafka.bootstrap(), t.in, values, 2, 100_000).join();
        int port = StreamCli.freePort();
        List<String> args = args(kafka, t, StreamTestJobs.unique("group"),
                Files.createTempDirectory("ck-metrics").toString());
        args.addAll(List.of("--metrics-port", String.valueOf(port)));
        Path log = Files.createTempFile("stream-metrics", ".log");
        Process p = StreamCli.start(args, log);
        try {
            int expected = StreamCli.rowsByRefit(rows).size();
            StreamCli.awaitRefits(kafka, t.out, expected, p, log, Duration.ofMinutes(3));
            String metrics = scrape(port, "streamglm_model_refits", Duration.ofSeconds(30));
            assertThat(metrics).contains("streamglm_model_records_in", "streamglm_model_rows_per_refit",
                    "streamglm_model_refit_latency_ms", "streamglm_model_reason_dead_letters");
            // the rows, the bad record and the producer's two rows that close the last window
            assertThat(sum(metrics, "streamglm_model_records_in")).isEqualTo(values.size() + 2);
            assertThat(sum(metrics, "streamglm_model_refits")).isEqualTo(expected);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** The scrape once it has {@code metric} with a non-zero value (reporters update on their own interval). */
    private static String scrape(int port, String metric, Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + limit.toMillis();
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (sum(last, metric) > 0) {
                    return last;
                }
            } catch (java.io.IOException e) {
                // not serving yet
            }
            Thread.sleep(500);
        }
        return last;
    }

    /** The sum of a metric's samples over its labels (one per subtask). */
    private static double sum(String scrape, String metric) {
        return scrape.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> {
                    int end = l.indexOf('{') >= 0 ? l.indexOf('{') : l.indexOf(' ');
                    return end > 0 && l.substring(0, end).endsWith(metric);
                })
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private record Topics(String in, String out, String dlq) {
        static Topics create(KafkaTestSupport kafka) {
            return create(kafka, 2);
        }

        static Topics create(KafkaTestSupport kafka, int inputPartitions) {
            Topics t = new Topics(StreamTestJobs.unique("in"), StreamTestJobs.unique("out"), StreamTestJobs.unique("dlq"));
            kafka.kafka.createTopics(inputPartitions, t.in);
            kafka.topics(t.out, t.dlq);
            return t;
        }
    }

    private static List<String> args(KafkaTestSupport kafka, Topics t, String group, String checkpointDir) {
        Path spec;
        try {
            spec = Files.createTempFile("spec", ".json");
            Files.writeString(spec, StreamTestData.spec("poisson", ", \"exposure\": \"expo\""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> args = StreamCli.streamArgs(kafka.bootstrap(), t.in, t.out, t.dlq, spec, group, Path.of("x"));
        args.set(args.indexOf("--checkpoint-dir") + 1, checkpointDir);
        return args;
    }

    /** The test rows of seed {@code seed}, written to the input (two partitions) before the job starts. */
    private static List<StreamTestData.Row> written(KafkaTestSupport kafka, Topics t, long seed)
            throws InterruptedException {
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", PER_HOUR, HOURS, seed);
        StreamCli.produceWhileRunning(kafka.bootstrap(), t.in, values(rows), 2, 100_000).join();
        return rows;
    }

    private static List<byte[]> values(List<StreamTestData.Row> rows) {
        return rows.stream().map(StreamTestData.Row::json).toList();
    }

    private record Result(int exit, String output) {
    }

    private static Result runToExit(Path work, List<String> args) throws Exception {
        Path log = Files.createTempFile(work, "exit", ".log");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m", "-jar", StreamCli.JAR.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command ended").isTrue();
        return new Result(p.exitValue(), Files.readString(log));
    }

    /** Runs until the refits are out and the group has committed the input's end offsets, then kills it. */
    private static void runIn(Path work, List<String> args, Path log, KafkaTestSupport kafka, String out, int expected,
                              String group, String in) throws Exception {
        Process p = StreamCli.start(args, log, work);
        try {
            StreamCli.awaitRefits(kafka, out, expected, p, log, Duration.ofMinutes(3));
            long committedBy = System.currentTimeMillis() + 60_000;
            while (!committedToEnd(kafka, group, in)) {
                assertThat(System.currentTimeMillis()).as("offsets of %s committed: %s", group, StreamCli.tail(log))
                        .isLessThan(committedBy);
                Thread.sleep(500);
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private static boolean committedToEnd(KafkaTestSupport kafka, String group, String topic) throws Exception {
        try (var admin = kafka.kafka.admin()) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var partitions = List.of(new org.apache.kafka.common.TopicPartition(topic, 0),
                    new org.apache.kafka.common.TopicPartition(topic, 1));
            var ends = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p,
                    p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            return partitions.stream().allMatch(p -> committed.get(p) != null
                    && committed.get(p).offset() == ends.get(p).offset());
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
