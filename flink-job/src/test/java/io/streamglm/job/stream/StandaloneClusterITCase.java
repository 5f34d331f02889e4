package io.streamglm.job.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream job submitted to a real standalone Flink session cluster started by {@code deploy/flink-start.sh}
 * (a JobManager and a TaskManager as separate processes, parallelism 2) gives the same output records as on the
 * MiniCluster.
 */
class StandaloneClusterITCase {
    private static final Path REPO = Path.of(System.getProperty("streamglm.project.dir", ".."));

    @Test
    void theStandaloneClusterGivesTheMiniClustersRecords() throws Exception {
        Path jar = REPO.resolve("flink-job/target/streamglm.jar");
        assertThat(jar).as("the shaded job jar (built by package)").exists();
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 300, 2, 91);
        String[] topics = kafka.topicsWithRows(rows, "out", "out");
        String in = topics[0], outMini = topics[1], outCluster = topics[2];
        String spec = StreamTestData.spec("poisson", ", \"exposure\": \"expo\"");

        Path specFile = Files.createTempFile("spec", ".json");
        Files.writeString(specFile, spec);
        // The same CLI command twice: on a local MiniCluster, and submitted to the standalone cluster.
        cli(jar, in, outMini, specFile, rows.size(), null);
        int rest = StreamCli.freeDeployPorts();
        Path state = Files.createTempDirectory("streamglm-deploy-");
        try {
            script(state, "flink-start.sh", String.valueOf(rest));
            cli(jar, in, outCluster, specFile, rows.size(), "127.0.0.1:" + rest);
            replayAllOnTheClusterEqualsFit(jar, "127.0.0.1:" + rest);
            aKilledTaskManagerEndsTheReplayWithOneLine(jar, rest, state.resolve("flink-" + rest).resolve("tm.pid"));
        } finally {
            script(state, "flink-stop.sh", String.valueOf(rest));
        }
        assertThat(outputs(kafka, outCluster)).isEqualTo(outputs(kafka, outMini)).hasSize(2);
        // --shards defaults to the parallelism for a time window: both runs refitted through the feedback loop
        for (String out : List.of(outMini, outCluster)) {
            assertThat(kafka.readAll(out + "-feedback", 1, Duration.ofSeconds(10)))
                    .extracting(r -> io.streamglm.job.shards.Feedback.decode(r.value()))
                    .anyMatch(m -> m.kind() == io.streamglm.job.shards.Feedback.Kind.PASS && m.shards().length == 2);
        }
    }

    /**
     * {@code replay --window all} on the cluster: its task manager process reads the splits and answers the passes
     * of the driver in this test's child process over TCP; the fit equals {@code streamglm fit}'s exactly.
     */
    private static void replayAllOnTheClusterEqualsFit(Path jar, String jobManager) throws Exception {
        Path dir = REPO.resolve("reference/cases/poisson_100k_exposure");
        Path tmp = Files.createTempDirectory("streamglm-replay-");
        Path fit = tmp.resolve("fit.json");
        Path replayed = tmp.resolve("all.jsonl");
        run(List.of("java", "-Xmx1g", "-jar", jar.toString(), "fit", "--data", dir.resolve("data.csv").toString(),
                "--spec", dir.resolve("spec.json").toString(), "--out", fit.toString(), "--quiet"));
        run(List.of("java", "-Xmx1g", "-jar", jar.toString(), "replay", "--data", dir.resolve("data.csv").toString(),
                "--spec", dir.resolve("spec.json").toString(), "--out", replayed.toString(), "--no-progress",
                "--parallelism", "2", "--jobmanager", jobManager));
        var expected = StreamTestData.JSON.readTree(Files.readString(fit));
        var refit = StreamTestData.JSON.readTree(Files.readAllLines(replayed).get(0));
        assertThat(refit.get("deviance")).isEqualTo(expected.get("deviance"));
        assertThat(refit.get("iterations")).isEqualTo(expected.get("iterations"));
        expected.get("coefficients").fields().forEachRemaining(c -> {
            assertThat(refit.get("coefficients").get(c.getKey()).get("estimate")).as(c.getKey())
                    .isEqualTo(c.getValue().get("estimate"));
            assertThat(refit.get("coefficients").get(c.getKey()).get("std_error")).as(c.getKey())
                    .isEqualTo(c.getValue().get("std_error"));
        });
    }

    /**
     * SIGKILL of the task manager process while its workers answer a replay's passes: the replay command ends soon
     * after with exit code 1 and one line naming the cause, not a wait and not a stack trace.
     */
    private static void aKilledTaskManagerEndsTheReplayWithOneLine(Path jar, int rest, Path tmPid) throws Exception {
        Path tmp = Files.createTempDirectory("streamglm-replay-kill-");
        Path data = tmp.resolve("claims.csv");
        run(List.of("java", "-jar", jar.toString(), "generate", "--rows", "1000000", "--out", data.toString(),
                "--spec-dir", tmp.toString()));
        Path log = tmp.resolve("replay.log");
        // rows read again every pass (--row-memory 1k): the passes take long enough to be interrupted
        Process replay = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString(), "replay", "--data",
                data.toString(), "--spec", tmp.resolve("poisson.json").toString(), "--out",
                tmp.resolve("all.jsonl").toString(), "--no-progress", "--parallelism", "2", "--row-memory", "1k",
                "--jobmanager", "127.0.0.1:" + rest).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        boolean running = false;
        while (!running && replay.isAlive() && System.currentTimeMillis() < deadline) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + rest + "/jobs/overview")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (var job : StreamTestData.JSON.readTree(body).path("jobs")) {
                running |= job.path("name").asText().startsWith("streamglm replay")
                        && job.path("state").asText().equals("RUNNING") && job.path("tasks").path("running").asInt() > 0;
            }
            Thread.sleep(200);
        }
        assertThat(running).as("the replay job ran: %s", Files.readString(log)).isTrue();
        Thread.sleep(3000); // into the passes
        assertThat(replay.isAlive()).as("replay still running when killed: %s", Files.readString(log)).isTrue();
        long pid = Long.parseLong(Files.readString(tmPid).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
        assertThat(replay.waitFor(60, TimeUnit.SECONDS)).as("the replay ended after the kill").isTrue();
        String output = Files.readString(log);
        assertThat(replay.exitValue()).as(output).isEqualTo(1);
        assertThat(output).as(output).doesNotContain("\tat ").containsPattern("(?m)^error: (replay pass \\d+: lost a"
                + " worker|the replay job failed: ).*$");
    }

    private static void run(List<String> cmd) throws Exception {
        Path log = Files.createTempFile("streamglm-cli", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, Files.readString(log)).isZero();
    }

    private static Map<String, String> outputs(KafkaTestSupport kafka, String topic) {
        Map<String, String> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topic, 2, Duration.ofSeconds(30))) {
            try {
                var n = (com.fasterxml.jackson.databind.node.ObjectNode) StreamTestData.JSON.readTree(r.value());
                // where the input came from and the watermark at firing differ between runs; nothing else may
                var provenance = (com.fasterxml.jackson.databind.node.ObjectNode) n.get("provenance");
                provenance.remove("input");
                provenance.remove("watermark");
                out.put(n.get("refit").asText(), n.toString());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static void cli(Path jar, String in, String out, Path spec, int rows, String jobManager) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("java", "-Xmx1g", "-jar", jar.toString(), "stream",
                "--bootstrap-servers", KafkaTestSupport.get().bootstrap(), "--input", in, "--output", out,
                "--spec", spec.toString(), "--window", "tumbling:1h", "--time-field", "ts", "--parallelism", "2",
                "--stop-after", String.valueOf(rows), "--model-name", "m", "--group-id", StreamTestJobs.unique("group")));
        if (jobManager != null) {
            cmd.add("--jobmanager");
            cmd.add(jobManager);
        }
        Path log = Files.createTempFile("stream-cli", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("stream command finished").isTrue();
        assertThat(p.exitValue()).as("stream command: %s", Files.readString(log)).isZero();
    }

    private static void script(Path state, String name, String arg) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("deploy").resolve(name).toString(), arg)
                .redirectErrorStream(true).directory(REPO.toFile())
                .redirectOutput(state.resolve(name + ".log").toFile());
        pb.environment().put("STREAMGLM_DEPLOY_DIR", state.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("%s finished", name).isTrue();
        assertThat(p.exitValue()).as("%s: %s", name, Files.readString(state.resolve(name + ".log"), StandardCharsets.UTF_8))
                .isZero();
    }
}
