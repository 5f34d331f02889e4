package io.streamglm.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.job.core.JobSetupException;
import io.streamglm.job.stream.CheckpointStore;
import io.streamglm.job.stream.RestartStrategy;
import io.streamglm.job.stream.StreamJob;
import io.streamglm.job.stream.StreamOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Everything {@code stream} settles before it submits: where the job's checkpoints live and which one it resumes
 * (or why it refuses to start), the restart strategy and the other Flink settings that apply (its own, or a session
 * cluster's), and how many source subtasks the input's partitions can feed. Each choice is printed in one line,
 * so an operator can see what a running job does after a failure.
 */
final class JobLaunch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamCommand cmd;
    private final StreamOptions options;
    private final Configuration conf;
    private final PrintStream log;

    private JobLaunch(StreamCommand cmd, StreamOptions options, Configuration conf, PrintStream log) {
        this.cmd = cmd;
        this.options = options;
        this.conf = conf;
        this.log = log;
    }

    StreamOptions options() {
        return options;
    }

    static JobLaunch prepare(StreamCommand cmd, StreamOptions o) {
        PrintStream log = System.err;
        // Under `flink run` or in application mode the CLI runs inside a cluster's client, whose environment is not
        // a local one: the cluster's settings apply there as they do with --jobmanager.
        StreamExecutionEnvironment context = cmd.jobManager == null ? StreamExecutionEnvironment.getExecutionEnvironment()
                : null;
        boolean local = context instanceof LocalStreamEnvironment;
        Map<String, String> cluster = cmd.jobManager != null ? clusterConfig(cmd.jobManager)
                : local ? Map.of() : ((Configuration) context.getConfiguration()).toMap();
        // --metrics-port and --resume-from are how this launch runs the job, not options of the job itself, so they
        // are checked here rather than by StreamOptions.Builder#build().
        if (!local && cmd.metricsPort != null) {
            throw new JobSetupException("--metrics-port applies to local runs: on a cluster, configure its Prometheus"
                    + " reporter in the cluster's config (see docs/operations.md) and drop --metrics-port");
        }
        if (cmd.resumeFrom != null && cmd.fromScratch) {
            throw new JobSetupException("--resume-from and --from-scratch contradict each other: drop one");
        }

        InputState input = inputState(o);
        StreamOptions options = withSourceParallelism(o, input.partitions(), cmd.sourceParallelism != null)
                .toBuilder().backlogEnds(input.ends()).build();

        Configuration conf = local
                ? StreamJob.configuration(cmd.stateBackend != null ? cmd.stateBackend : "hashmap", null)
                : StreamJob.baseConfiguration();
        if (cmd.restartStrategy != null) {
            RestartStrategy restarts = RestartStrategy.parse(cmd.restartStrategy);
            restarts.applyTo(conf);
            log.println("streamglm stream: restarts: " + restarts.describe() + " (--restart-strategy)");
        } else if (local) {
            log.println("streamglm stream: restarts: " + RestartStrategy.DEFAULT.describe() + " (the default)");
        } else {
            String type = cluster.get("restart-strategy.type");
            log.println("streamglm stream: restarts: the cluster's own, " + (type != null ? "restart-strategy.type: "
                    + type : "Flink's default (exponential-delay without limit for a checkpointed job)"));
        }
        if (!local && cmd.stateBackend != null) {
            conf.set(StateBackendOptions.STATE_BACKEND, cmd.stateBackend);
        }

        String base = cmd.checkpointDir != null ? cmd.checkpointDir
                : local ? CheckpointStore.defaultBase().toString()
                : Optional.ofNullable(cluster.get("execution.checkpointing.dir"))
                        .orElse(cluster.get("state.checkpoints.dir"));
        CheckpointStore store = null;
        if (base != null) {
            store = CheckpointStore.of(CheckpointStore.normalize(base), o.groupId());
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, store.directory().toString());
        }
        String clusterRestore = Optional.ofNullable(cluster.get("execution.state-recovery.path"))
                .orElse(cluster.get("execution.savepoint.path"));
        String restore;
        if (clusterRestore != null && cmd.resumeFrom == null && !cmd.fromScratch) {
            // The cluster restores the job itself (the Kubernetes operator's upgrades, a `flink run -s`).
            log.println("streamglm stream: resuming from the cluster's execution.state-recovery.path " + clusterRestore);
            restore = null;
        } else {
            String fingerprint = fingerprint(options);
            restore = chooseRestore(cmd, options, store, local, input, fingerprint, log);
            if (store != null) {
                store.writeFingerprint(fingerprint);
            }
        }
        if (restore != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore);
        }
        if (store != null) {
            log.println("streamglm stream: checkpoints every " + options.checkpointIntervalMillis() + " ms (every "
                    + options.checkpointIntervalDuringBacklogMillis() + " ms while reading the backlog, up to "
                    + backlog(input, options.fromScratch()) + " records in " + options.input() + ") to " + store.directory()
                    + ", kept on cancellation and failure");
        } else {
            log.println("streamglm stream: warning: the cluster has no checkpoint directory, so its checkpoints live"
                    + " in the JobManager's memory and a new submission cannot resume them: give --checkpoint-dir");
        }
        if (cmd.metricsPort != null) {
            conf.setString("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", String.valueOf(cmd.metricsPort));
            log.println("streamglm stream: metrics for Prometheus at http://localhost:" + cmd.metricsPort + "/metrics");
        }
        for (Map.Entry<String, String> e : flinkConf(cmd.flinkConf).entrySet()) {
            conf.setString(e.getKey(), e.getValue());
            log.println("streamglm stream: --flink-conf " + e.getKey() + "=" + e.getValue());
        }
        return new JobLaunch(cmd, options, conf, log);
    }

    StreamExecutionEnvironment environment() {
        if (cmd.jobManager != null) {
            String[] hp = hostPort(cmd.jobManager);
            String jar = StreamCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            return StreamExecutionEnvironment.createRemoteEnvironment(hp[0], Integer.parseInt(hp[1]), conf, jar);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /** Runs the job; a failure is one line with its cause and exit code 1, not a stack trace. */
    int run(StreamExecutionEnvironment env, String name) {
        try {
            env.execute(name);
            return 0;
        } catch (Exception e) {
            log.println("error: the stream job failed: " + rootCause(e));
            return 1;
        }
    }

    /** The innermost cause, as {@code Class: message} on one line. */
    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + m;
    }

    /**
     * Which state the job starts from: {@code --resume-from}; else the newest completed checkpoint of this job
     * (same checkpoint directory and group id) written by the same model; else none, but only when the consumer
     * group has committed no offsets, since those would start the topic where the lost state left off and every
     * window open then would be refitted on part of its rows. The caller records {@code fingerprint} as the
     * state's owner once this returns.
     */
    private static String chooseRestore(StreamCommand cmd, StreamOptions o, CheckpointStore store, boolean local,
                                        InputState input, String fingerprint, PrintStream log) {
        if (store != null) {
            store.prepare(local);
        }
        if (cmd.resumeFrom != null) {
            String path = CheckpointStore.checkRestorable(cmd.resumeFrom);
            log.println("streamglm stream: resuming from " + path + " (--resume-from)");
            return path;
        }
        if (cmd.fromScratch) {
            log.println("streamglm stream: starting from scratch: no state, input from its earliest offsets"
                    + " (--from-scratch)");
            return null;
        }
        Optional<CheckpointStore.Restorable> newest = store == null ? Optional.empty() : store.newest();
        if (newest.isPresent()) {
            Optional<String> written = store.fingerprint();
            if (written.isPresent() && !written.get().equals(fingerprint)) {
                throw new JobSetupException("the checkpoints in " + store.directory() + " belong to a job with another"
                        + " model (" + difference(written.get(), fingerprint) + "): start it with its own spec and"
                        + " options to resume, give another --group-id, or refit from the topic's start with"
                        + " --from-scratch");
            }
            CheckpointStore.Restorable r = newest.get();
            log.println("streamglm stream: resuming from " + r.path() + " (newest completed checkpoint, "
                    + Instant.ofEpochMilli(r.modifiedMillis()) + ")");
            store.removeSuperseded(r);
            return r.path();
        }
        if (!input.committed().isEmpty()) {
            throw new JobSetupException("consumer group " + o.groupId() + " has committed offsets on " + o.input() + " "
                    + input.committed() + " but " + (store == null ? "there is no checkpoint directory"
                    : "there is no completed checkpoint in " + store.directory()) + ", so the rows of the windows"
                    + " open then are gone: refit from the topic's start with --from-scratch, restore a checkpoint or"
                    + " savepoint with --resume-from PATH, or start a new job with another --group-id");
        }
        log.println("streamglm stream: starting a new job (group " + o.groupId() + " has no checkpoint and no committed"
                + " offsets on " + o.input() + " yet)");
        return null;
    }

    /** What the job's state depends on: the same spec, design and windows read the same state the same way. */
    static String fingerprint(StreamOptions o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("spec_sha256", sha256(o.specJson()));
        n.put("design_sha256", sha256(o.designJson()));
        n.put("model", o.modelName());
        n.put("input", o.input());
        n.put("window", o.window().text());
        n.put("mode", o.mode().name().toLowerCase(java.util.Locale.ROOT));
        n.put("key_field", o.keyField());
        n.put("shards", o.shards());
        if (o.shards() > 1) {
            n.put("parallelism", o.parallelism()); // shard keys are salted for it (ShardKeys)
        }
        n.put("cells", o.cells());
        return n.toString();
    }

    private static String difference(String written, String now) {
        try {
            JsonNode a = JSON.readTree(written);
            JsonNode b = JSON.readTree(now);
            StringBuilder d = new StringBuilder();
            b.fieldNames().forEachRemaining(f -> {
                if (!a.path(f).equals(b.path(f))) {
                    d.append(d.isEmpty() ? "" : ", ").append(f).append(' ').append(a.path(f)).append(" then, ")
                            .append(b.path(f)).append(" now");
                }
            });
            return d.toString();
        } catch (Exception e) {
            return "unreadable " + CheckpointStore.class.getSimpleName() + " fingerprint";
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The input's partition count, the consumer group's committed offsets on it, and each partition's end offset
     * (read_committed), by partition: the backlog the job finds at launch ends there.
     */
    record InputState(int partitions, Map<Integer, Long> committed, long[] ends) {
    }

    /**
     * At most how many records the input holds beyond where the job starts: the group's committed offsets, or the
     * partitions' starts (offset 0, or later where retention removed the oldest).
     */
    private static long backlog(InputState input, boolean fromScratch) {
        long records = 0;
        for (int p = 0; p < input.ends().length; p++) {
            long start = fromScratch ? 0 : input.committed().getOrDefault(p, 0L);
            records += Math.max(0, input.ends()[p] - start);
        }
        return records;
    }

    private static InputState inputState(StreamOptions o) {
        Map<String, Object> config = new LinkedHashMap<>(o.kafkaProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            Map<String, TopicDescription> topics;
            try {
                topics = admin.describeTopics(List.of(o.input())).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                    throw new JobSetupException("--input " + o.input() + ": no such topic on " + o.bootstrapServers()
                            + ": create it, or check the name");
                }
                throw new JobSetupException("--bootstrap-servers " + o.bootstrapServers() + ": cannot describe topic "
                        + o.input() + " (" + rootCause(e) + "): check that the broker is up and reachable");
            } catch (java.util.concurrent.TimeoutException e) {
                throw new JobSetupException("--bootstrap-servers " + o.bootstrapServers() + ": no Kafka broker answered"
                        + " in 30 s: check that it is up and reachable");
            }
            int partitions = topics.get(o.input()).partitions().size();
            requireWrittenTopics(admin, o);
            Map<Integer, Long> committed = new java.util.TreeMap<>();
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(o.groupId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            offsets.forEach((tp, om) -> {
                if (om != null && tp.topic().equals(o.input())) {
                    committed.put(tp.partition(), om.offset());
                }
            });
            return new InputState(partitions, committed, StreamJob.endOffsets(admin, o.input(), partitions));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobSetupException("interrupted while reading topic " + o.input());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new JobSetupException("--bootstrap-servers " + o.bootstrapServers() + ": cannot read the offsets of"
                    + " group " + o.groupId() + " (" + rootCause(e) + "): check that the broker is up");
        }
    }

    /**
     * The topics the job writes (the output and the dead-letter topic) exist, or the broker creates topics on first
     * use. Otherwise the job's Kafka writer would wait a minute for the topic's metadata, fail, and be restarted
     * without end: a missing topic is a set-up error, said once before the job starts.
     */
    private static void requireWrittenTopics(Admin admin, StreamOptions o) throws InterruptedException,
            ExecutionException, java.util.concurrent.TimeoutException {
        Map<String, String> written = new LinkedHashMap<>();
        written.put(o.output(), "--output");
        if (o.deadLetter() != null) {
            written.putIfAbsent(o.deadLetter(), "--dead-letter");
        }
        List<String> missing = new java.util.ArrayList<>();
        for (var entry : admin.describeTopics(written.keySet()).topicNameValues().entrySet()) {
            try {
                entry.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    // said here: the caller's message is about the group's offsets, not this topic
                    throw new JobSetupException(written.get(entry.getKey()) + " " + entry.getKey() + ": cannot describe"
                            + " the topic on " + o.bootstrapServers() + " (" + rootCause(e) + "): check the broker"
                            + " and the client's permissions");
                }
                missing.add(entry.getKey());
            }
        }
        if (missing.isEmpty() || brokerCreatesTopics(admin)) {
            return;
        }
        String topic = missing.get(0);
        throw new JobSetupException(written.get(topic) + " " + topic + ": no such topic on " + o.bootstrapServers()
                + ", and the broker does not create topics (auto.create.topics.enable=false): create it (kafka-topics.sh"
                + " --bootstrap-server " + o.bootstrapServers() + " --create --topic " + topic + "), or check the name");
    }

    /** The broker's auto.create.topics.enable (Kafka's default: true); true too when the broker does not say. */
    private static boolean brokerCreatesTopics(Admin admin) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        var nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        if (nodes.isEmpty()) {
            return true;
        }
        var broker = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.BROKER, nodes.iterator().next().idString());
        try {
            var entry = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker)
                    .get("auto.create.topics.enable");
            return entry == null || entry.value() == null || Boolean.parseBoolean(entry.value());
        } catch (ExecutionException e) { // not allowed to read the broker's configuration: let the writer find out
            return true;
        }
    }

    /**
     * No more source subtasks than partitions without an idle timeout: a subtask without a partition never sends a
     * watermark, and every window would wait for it forever. Checked here, not in {@link StreamOptions.Builder#build()}:
     * it needs the input topic's partition count, read from the broker.
     */
    static StreamOptions withSourceParallelism(StreamOptions o, int partitions, boolean given) {
        if (o.idleTimeoutMillis() > 0 || o.sourceParallelism() <= partitions) {
            return o;
        }
        if (given) {
            throw new JobSetupException("--source-parallelism " + o.sourceParallelism() + " is more than the "
                    + partitions + " partition(s) of " + o.input() + ": a subtask without a partition would hold back"
                    + " event time for good; use at most " + partitions + ", or give --idle-timeout");
        }
        return o.toBuilder().sourceParallelism(partitions).build();
    }

    /** {@code --flink-conf k=v} options as a map. */
    static Map<String, String> flinkConf(List<String> options) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String kv : options) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new JobSetupException("--flink-conf " + kv + ": use key=value, e.g. --flink-conf"
                        + " execution.checkpointing.timeout=5min");
            }
            conf.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return conf;
    }

    private static String[] hostPort(String jobManager) {
        String[] hp = jobManager.split(":");
        if (hp.length != 2 || !hp[1].matches("[0-9]{1,5}")) {
            throw new JobSetupException("--jobmanager " + jobManager + ": use host:port of the cluster's REST API,"
                    + " e.g. 127.0.0.1:8081");
        }
        return hp;
    }

    /** The session cluster's configuration, read from its REST API (so the job can say which settings apply). */
    private static Map<String, String> clusterConfig(String jobManager) {
        String[] hp = hostPort(jobManager);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + hp[0] + ":" + hp[1]
                    + "/jobmanager/config")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new JobSetupException("--jobmanager " + jobManager + ": the REST API answered " + r.statusCode()
                        + ": is this a Flink JobManager's REST port?");
            }
            Map<String, String> config = new LinkedHashMap<>();
            for (JsonNode e : JSON.readTree(r.body())) {
                config.put(e.path("key").asText(), e.path("value").asText());
            }
            return config;
        } catch (java.io.IOException e) {
            throw new JobSetupException("--jobmanager " + jobManager + ": no Flink REST API answers there ("
                    + rootCause(e) + "): start the cluster (deploy/flink-start.sh) or fix host:port");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobSetupException("interrupted while asking " + jobManager + " for its configuration");
        }
    }
}
