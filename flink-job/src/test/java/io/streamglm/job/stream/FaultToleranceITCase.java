package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing is lost or duplicated however often the job dies, with real processes killed by SIGKILL while records
 * arrive: the TaskManager of a standalone cluster ten times (the job restarts on the same cluster from its last
 * checkpoint), and the {@code stream} process with its embedded MiniCluster three times (the same command,
 * started again, resumes from the newest retained checkpoint). Every refit record must equal that of a run without
 * failures, and every refit must hold all its window's rows.
 */
class FaultToleranceITCase {
    private static final int PER_HOUR = 400;
    private static final int HOURS = 20;
    private static final int PARTITIONS = 2;

    @Test
    void tenTaskManagerKillsChangeNoRefit() throws Exception {
        Scenario s = Scenario.create(71);
        int rest = StreamCli.freeDeployPorts();
        Path deploy = Files.createTempDirectory("streamglm-deploy-");
        Path log = Files.createTempFile("stream-cluster", ".log");
        try {
            // Fast failure detection, so ten kills fit in a CI run.
            script(deploy, Map.of("STREAMGLM_FLINK_CONF", "heartbeat.interval: 1000\nheartbeat.timeout: 6000"),
                    "flink-start.sh", String.valueOf(rest));
            List<String> args = StreamCli.streamArgs(s.kafka.bootstrap(), s.in, s.out, s.dlq, s.spec,
                    StreamTestJobs.unique("group"), Files.createTempDirectory("ck-cluster"));
            args.addAll(List.of("--jobmanager", "127.0.0.1:" + rest, "--restart-strategy", "exponential:5s"));
            // -Dstreamglm.fault.args="--idle-timeout 5s" shows what the job did before idleness became opt-in
            String extra = System.getProperty("streamglm.fault.args", "").trim();
            if (!extra.isEmpty()) {
                args.addAll(List.of(extra.split("\\s+")));
            }
            Thread producer = StreamCli.produceWhileRunning(s.kafka.bootstrap(), s.in, s.values(), PARTITIONS, 160);
            Process job = StreamCli.start(args, log);
            Path tmPid = deploy.resolve("flink-" + rest).resolve("tm.pid");
            int kills = 0;
            while (kills < 10 && job.isAlive()) {
                if (!awaitAllTasksRunning(rest, Duration.ofSeconds(120))) {
                    break;
                }
                Thread.sleep(1500 + 300L * (kills % 4));
                long pid = Long.parseLong(Files.readString(tmPid).trim());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
                kills++;
                script(deploy, Map.of(), "flink-taskmanager.sh", String.valueOf(rest));
            }
            assertThat(kills).as("TaskManager kills while the job ran: %s", StreamCli.tail(log)).isEqualTo(10);
            producer.join();
            int expected = s.expectedRefits();
            StreamCli.awaitRefits(s.kafka, s.out, expected, job, log, Duration.ofMinutes(5));
            Thread.sleep(3000);
            job.destroyForcibly().waitFor();
        } finally {
            script(deploy, Map.of(), "flink-stop.sh", String.valueOf(rest));
        }
        s.assertSameRefitsAsAFailureFreeRun();
    }

    @Test
    void threeProcessCrashesChangeNoRefit() throws Exception {
        Scenario s = Scenario.create(72);
        Path checkpoints = Files.createTempDirectory("ck-local");
        Path log = Files.createTempFile("stream-local", ".log");
        List<String> args = StreamCli.streamArgs(s.kafka.bootstrap(), s.in, s.out, s.dlq, s.spec,
                StreamTestJobs.unique("group"), checkpoints);
        Thread producer = StreamCli.produceWhileRunning(s.kafka.bootstrap(), s.in, s.values(), PARTITIONS, 160);
        for (int crash = 0; crash < 3; crash++) {
            long started = System.currentTimeMillis();
            Process p = StreamCli.start(args, log);
            // Killed once this run has completed a checkpoint, so the next run has state to resume.
            long deadline = started + 120_000;
            while (!StreamCli.completedCheckpointSince(checkpoints, started) && p.isAlive()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(p.isAlive()).as("run %d still running: %s", crash + 1, StreamCli.tail(log)).isTrue();
            Thread.sleep(700L * (crash + 1));
            p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cancellation
        }
        producer.join();
        StreamCli.runUntilRefits(args, log, s.kafka, s.out, s.expectedRefits(), Duration.ofMinutes(4));
        String output = Files.readString(log);
        assertThat(output.split("resuming from ", -1)).as("runs that resumed: %s", StreamCli.tail(log)).hasSize(4);
        s.assertSameRefitsAsAFailureFreeRun();
    }

    /** Input rows in a two-partition topic, the spec, and topics for one faulty run. */
    private record Scenario(KafkaTestSupport kafka, List<StreamTestData.Row> rows, String in, String out, String dlq,
                            Path spec) {
        static Scenario create(long seed) throws Exception {
            KafkaTestSupport kafka = KafkaTestSupport.get();
            String in = StreamTestJobs.unique("in");
            String out = StreamTestJobs.unique("out");
            String dlq = StreamTestJobs.unique("dlq");
            kafka.kafka.createTopics(PARTITIONS, in);
            kafka.topics(out, dlq, out + "-ref", dlq + "-ref");
            Path spec = Files.createTempFile("spec", ".json");
            Files.writeString(spec, StreamTestData.spec("poisson", ", \"exposure\": \"expo\""));
            return new Scenario(kafka, StreamTestData.rows("poisson", PER_HOUR, HOURS, seed), in, out, dlq, spec);
        }

        int expectedRefits() {
            return StreamCli.rowsByRefit(rows).size();
        }

        List<byte[]> values() {
            return rows.stream().map(StreamTestData.Row::json).toList();
        }

        /** The same command without failures, on the same input, into topics of its own. */
        void assertSameRefitsAsAFailureFreeRun() throws Exception {
            Path log = Files.createTempFile("stream-reference", ".log");
            Map<String, Long> expectedRows = StreamCli.rowsByRefit(rows);
            StreamCli.runUntilRefits(StreamCli.streamArgs(kafka.bootstrap(), in, out + "-ref", dlq + "-ref", spec,
                    StreamTestJobs.unique("group"), Files.createTempDirectory("ck-ref")), log, kafka, out + "-ref",
                    expectedRows.size(), Duration.ofMinutes(4));
            Map<String, String> reference = kafka.refitOutputs(out + "-ref", expectedRows.size());
            assertThat(StreamCli.rowsOf(reference)).as("the failure-free run refits every row").isEqualTo(expectedRows);
            Map<String, String> faulty = kafka.refitOutputs(out, expectedRows.size());
            assertThat(StreamCli.rowsOf(faulty)).as("rows per refit after the failures").isEqualTo(expectedRows);
            assertThat(faulty).as("refit records after the failures").isEqualTo(reference);
            assertThat(kafka.readAll(dlq, 0, Duration.ofSeconds(2))).as("dead letters after the failures").isEmpty();
        }
    }

    /** Waits until the cluster's one job has all its tasks running (so a kill interrupts real work). */
    private static boolean awaitAllTasksRunning(int rest, Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + limit.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + rest + "/jobs/overview")).build(),
                        HttpResponse.BodyHandlers.ofString());
                for (JsonNode job : StreamTestData.JSON.readTree(r.body()).path("jobs")) {
                    JsonNode tasks = job.path("tasks");
                    if (job.path("state").asText().equals("RUNNING") && tasks.path("total").asInt() > 0
                            && tasks.path("running").asInt() == tasks.path("total").asInt()) {
                        return true;
                    }
                    if (job.path("state").asText().equals("FINISHED")) {
                        return false;
                    }
                }
            } catch (java.io.IOException e) {
                // the REST endpoint may be busy while the JobManager recovers the job
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static void script(Path state, Map<String, String> env, String name, String arg) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", StreamCli.REPO.resolve("deploy").resolve(name).toString(), arg)
                .redirectErrorStream(true).directory(StreamCli.REPO.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve(name + ".log").toFile()));
        pb.environment().put("STREAMGLM_DEPLOY_DIR", state.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("%s finished", name).isTrue();
        assertThat(p.exitValue()).as("%s: %s", name, Files.readString(state.resolve(name + ".log"),
                StandardCharsets.UTF_8)).isZero();
    }
}
