package io.streamglm.job.stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code streamglm stream} command as a real process of the shaded jar (so it can be killed with SIGKILL),
 * a producer that writes rows while a job runs, and the comparison of output topics that fault tests make.
 */
final class StreamCli {
    static final Path REPO = Path.of(System.getProperty("streamglm.project.dir", ".."));
    static final Path JAR = REPO.resolve("flink-job/target/streamglm.jar");

    private StreamCli() {
    }

    /**
     * The stream command's arguments for the test rows: hourly windows, one model per region, 2 subtasks, unbounded
     * as a user runs it (the test stops it once every expected refit is out).
     */
    static List<String> streamArgs(String bootstrap, String in, String out, String dlq, Path spec, String group,
                                   Path checkpoints) {
        return new ArrayList<>(List.of("stream", "--bootstrap-servers", bootstrap, "--input", in, "--output", out,
                "--dead-letter", dlq, "--spec", spec.toString(), "--window", "tumbling:1h", "--time-field", "ts",
                "--key-field", "region", "--parallelism", "2", "--model-name", "m", "--group-id", group,
                "--checkpoint-dir", checkpoints.toString(), "--checkpoint-interval", "1s"));
    }

    /** Starts the command; its output goes to {@code log}. */
    static Process start(List<String> args, Path log) throws IOException {
        return start(args, log, null);
    }

    /** Starts the command in {@code directory} (null: this process's); its output goes to {@code log}. */
    static Process start(List<String> args, Path log, Path directory) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx1g"));
        String log4j = System.getProperty("streamglm.cli.log4j"); // a log4j2 file to see the job's own logs
        if (log4j != null && !log4j.isEmpty()) {
            cmd.add("-Dlog4j2.configurationFile=" + log4j);
        }
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).directory(directory == null ? null : directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Runs the command until {@code expected} refit records are in {@code out} (read_committed), then a little
     * longer (a duplicate would show), and stops it.
     */
    static void runUntilRefits(List<String> args, Path log, KafkaTestSupport kafka, String out, int expected,
                               Duration limit) throws Exception {
        Process p = start(args, log);
        try {
            awaitRefits(kafka, out, expected, p, log, limit);
            Thread.sleep(3000);
            assertThat(p.isAlive()).as("stream command still running: %s", tail(log)).isTrue();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** Waits until {@code out} holds {@code expected} refit records (read_committed) while {@code p} keeps running. */
    static void awaitRefits(KafkaTestSupport kafka, String out, int expected, Process p, Path log, Duration limit)
            throws IOException {
        long deadline = System.currentTimeMillis() + limit.toMillis();
        while (kafka.readAll(out, expected, Duration.ofSeconds(5)).size() < expected) {
            assertThat(p.isAlive()).as("stream command still running: %s", tail(log)).isTrue();
            assertThat(System.currentTimeMillis()).as("%d refits within %s: %s", expected, limit, tail(log))
                    .isLessThan(deadline);
        }
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Whether a completed checkpoint newer than {@code sinceMillis} is under {@code dir}. */
    static boolean completedCheckpointSince(Path dir, long sinceMillis) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir, 4)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("_metadata")
                    && p.getParent().getFileName().toString().startsWith("chk-")
                    && p.toFile().lastModified() >= sinceMillis);
        }
    }

    /**
     * Writes the rows in order, row i to partition i % partitions, at about {@code perSecond} rows a second, in a
     * thread of its own: the job reads them while they arrive.
     */
    static Thread produceWhileRunning(String bootstrap, String topic, List<byte[]> rows, int partitions,
                                      int perSecond) {
        // Then one row per partition in a later window, so that event time passes the end of the rows' last window.
        List<byte[]> all = new ArrayList<>(rows);
        long after = StreamTestData.T0 + 1000 * StreamTestData.HOUR;
        for (int i = 0; i < partitions; i++) {
            all.add(new StreamTestData.Row(after, 0, 0, "a", "north", 0, 1).json());
        }
        Thread t = new Thread(() -> {
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1, ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                int batch = Math.max(1, perSecond / 10);
                for (int i = 0; i < all.size(); i++) {
                    producer.send(new ProducerRecord<>(topic, i % partitions, null, all.get(i))).get(60, TimeUnit.SECONDS);
                    if (i % batch == batch - 1) {
                        Thread.sleep(100);
                    }
                }
                producer.flush();
            } catch (Exception e) {
                throw new IllegalStateException("producing to " + topic + " failed", e);
            }
        }, "paced-producer-" + topic);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The rows each (model, hourly window) holds, as the output's {@code model refit} ids name them. */
    static Map<String, Long> rowsByRefit(List<StreamTestData.Row> rows) {
        Map<String, Long> n = new TreeMap<>();
        for (StreamTestData.Row r : rows) {
            long start = Math.floorDiv(r.ts(), StreamTestData.HOUR) * StreamTestData.HOUR;
            n.merge("m/" + r.region() + " w:" + java.time.Instant.ofEpochMilli(start) + "/"
                    + java.time.Instant.ofEpochMilli(start + StreamTestData.HOUR), 1L, Long::sum);
        }
        return n;
    }

    /** The rows each output record says it refitted, by (model, refit). */
    static Map<String, Long> rowsOf(Map<String, String> refits) throws IOException {
        Map<String, Long> n = new TreeMap<>();
        for (var e : refits.entrySet()) {
            n.put(e.getKey(), StreamTestData.JSON.readTree(e.getValue()).get("rows").asLong());
        }
        return n;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            int p = s.getLocalPort();
            return p > 60_000 ? p - 10_000 : p;
        }
    }

    /**
     * A REST port for {@code deploy/flink-start.sh}, whose RPC ports are the next three: four consecutive ports
     * free now, below Linux's ephemeral range (32768 and up), where a client socket of another test could take
     * one of them between the check and the cluster's start (it did: "failed to bind to 127.0.0.1:38468").
     */
    static int freeDeployPorts() throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = r.nextInt(20_000, 32_000);
            if (allFree(base, 4)) {
                return base;
            }
        }
        throw new IOException("no four consecutive free ports found between 20000 and 32000");
    }

    private static boolean allFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
