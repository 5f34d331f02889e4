package io.streamglm.job.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamglm.connectors.kafka.DeliveryCheck;
import io.streamglm.connectors.kafka.EmbeddedKafka;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.stream.StreamJob;
import io.streamglm.job.stream.StreamOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the whole product on one machine with nothing installed: a real Kafka broker in this JVM, a Flink
 * MiniCluster running the stream job, a producer of synthetic policies with known true coefficients, a live
 * terminal table of the refits and a local web page of their trajectories.
 */
public final class DemoRunner implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String INPUT = "claims";
    static final String OUTPUT = "model-updates";
    static final String DEAD = "dead-letters";
    static final String CONTROL = "control";

    private final Long maxEvents;
    private final double rate;
    private final PrintStream out;
    private final DemoScenario scenario;
    private final List<JsonNode> refits = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private final boolean console;
    private EmbeddedKafka kafka;
    private JobClient job;
    private DemoWebServer web;
    private Thread producer;
    private Thread consumer;

    public DemoRunner(Long maxEvents, double rate, PrintStream out) {
        this.maxEvents = maxEvents;
        this.rate = rate;
        this.out = out;
        this.scenario = new DemoScenario(maxEvents != null ? maxEvents / 2 : 100_000);
        this.console = System.console() != null;
    }

    /** Starts everything; returns the web page's address. */
    public String start(int port) throws Exception {
        out.println("starting an embedded Kafka broker ...");
        kafka = EmbeddedKafka.start();
        kafka.createTopics(1, INPUT, OUTPUT, DEAD, CONTROL);
        out.println("Kafka at " + kafka.bootstrapServers() + "; starting the Flink job on a MiniCluster ...");
        ModelSpec spec = SpecParser.parse(DemoScenario.SPEC, "demo spec");
        StreamOptions options = StreamOptions.builder(kafka.bootstrapServers(), INPUT, OUTPUT,
                        SpecParser.toJson(spec).toString(), ModelFile.designToJson(DesignBuilder.freeze(spec)), "spec",
                        WindowSpec.parse("tumbling:1h"))
                .deadLetter(DEAD).control(CONTROL).modelName("freq").timeField("ts").maxOutOfOrdernessMillis(0)
                .checkpointIntervalMillis(1000).boundedOffset(maxEvents).groupId("streamglm-demo")
                .sourceParallelism(1).watermarkEveryRecord(true).shards(1).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                StreamJob.configuration("hashmap", StreamJob.localCheckpointDir(null)));
        StreamJob.build(env, options, s -> s);
        job = env.executeAsync("streamglm demo");
        web = new DemoWebServer(port, this::dataJson);
        String url = "http://127.0.0.1:" + web.port() + "/";
        producer = new Thread(this::produce, "demo-producer");
        consumer = new Thread(this::consume, "demo-consumer");
        producer.setDaemon(true);
        consumer.setDaemon(true);
        producer.start();
        consumer.start();
        out.println("coefficient trajectories: " + url + (maxEvents == null ? "   (Ctrl-C to stop)" : ""));
        return url;
    }

    /** With --max-events: waits for the job to finish and the last refit to arrive. */
    public int awaitEnd() throws Exception {
        job.getJobExecutionResult().get();
        long windows = (maxEvents + DemoScenario.PER_HOUR - 1) / DemoScenario.PER_HOUR;
        long deadline = System.currentTimeMillis() + 30_000;
        while (refitCount() < windows && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        done.set(true);
        summary();
        return refitCount() >= windows ? 0 : 1;
    }

    private synchronized int refitCount() {
        return refits.size();
    }

    private void produce() {
        var config = Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5);
        long start = System.nanoTime();
        DeliveryCheck delivery = new DeliveryCheck();
        try (var p = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; (maxEvents == null || i < maxEvents) && !stopping.get(); i++) {
                p.send(new ProducerRecord<>(INPUT, scenario.record(i)), delivery);
                sent.incrementAndGet();
                long due = start + (long) ((i + 1) / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
            p.flush();
            delivery.throwIfFailed("the demo's input topic");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                out.println("producer stopped: " + e.getMessage());
            }
        }
    }

    private void consume() {
        var config = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var c = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(new TopicPartition(OUTPUT, 0)));
            while (!stopping.get()) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    JsonNode n = JSON.readTree(r.value());
                    synchronized (this) {
                        refits.add(n);
                    }
                    table(n);
                }
            }
        } catch (Exception e) {
            if (!stopping.get()) {
                out.println("consumer stopped: " + e.getMessage());
            }
        }
    }

    private void table(JsonNode refit) {
        long end = refit.path("window").path("end_ms").asLong();
        long windowIndex = (end - DemoScenario.T0) / 3_600_000L;
        boolean drifted = scenario.drifted(windowIndex * DemoScenario.PER_HOUR - 1);
        Map<String, Double> truth = DemoScenario.modelTruth(drifted);
        StringBuilder sb = new StringBuilder();
        if (console) {
            sb.append("\033[H\033[2J");
        }
        sb.append(String.format(Locale.ROOT, "refit %d  window %s .. %s  rows %d  deviance %.1f  status %s%s%n%n",
                refitCount(), refit.path("window").path("start").asText(), refit.path("window").path("end").asText(),
                refit.path("rows").asLong(), refit.path("deviance").asDouble(), refit.path("status").asText(),
                drifted ? "  (after the drift)" : ""));
        sb.append(String.format(Locale.ROOT, "%-18s %9s %10s %10s %21s %s%n", "coefficient", "truth", "estimate",
                "std.error", "95% interval", ""));
        for (Map.Entry<String, Double> t : truth.entrySet()) {
            JsonNode c = refit.path("coefficients").path(t.getKey());
            double est = c.path("estimate").asDouble();
            double se = c.path("std_error").asDouble();
            boolean covered = Math.abs(est - t.getValue()) <= 1.96 * se;
            sb.append(String.format(Locale.ROOT, "%-18s %9.4f %10.4f %10.4f [%9.4f, %9.4f] %s%n", t.getKey(),
                    t.getValue(), est, se, est - 1.96 * se, est + 1.96 * se, covered ? "covers" : "MISSES"));
        }
        sb.append(String.format(Locale.ROOT, "%nevents sent %d; page %s%n", sent.get(),
                web == null ? "" : "http://127.0.0.1:" + web.port() + "/"));
        synchronized (out) {
            out.print(sb);
            out.flush();
        }
    }

    private void summary() {
        out.printf(Locale.ROOT, "%ndemo finished: %d events, %d refits; the last refit's intervals are above.%n",
                sent.get(), refitCount());
    }

    /** The page's data: truths, drift time and every refit's estimates and standard errors. */
    synchronized String dataJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode before = root.putObject("truth_before");
        DemoScenario.modelTruth(false).forEach(before::put);
        ObjectNode after = root.putObject("truth_after");
        DemoScenario.modelTruth(true).forEach(after::put);
        long driftEvent = maxEvents != null ? maxEvents / 2 : 100_000;
        root.put("drift_at", DemoScenario.T0 + driftEvent * 3_600_000L / DemoScenario.PER_HOUR);
        root.put("events", sent.get());
        root.put("done", done.get());
        ArrayNode list = root.putArray("refits");
        for (JsonNode r : refits) {
            ObjectNode o = list.addObject();
            o.put("end", r.path("window").path("end_ms").asLong());
            o.put("rows", r.path("rows").asLong());
            ObjectNode coef = o.putObject("coef");
            r.path("coefficients").fields().forEachRemaining(e -> {
                if (e.getValue().hasNonNull("estimate")) {
                    coef.putArray(e.getKey()).add(e.getValue().get("estimate").asDouble())
                            .add(e.getValue().get("std_error").asDouble());
                }
            });
        }
        return root.toString();
    }

    /** Stops everything: job, threads, page, broker (in that order). */
    @Override public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            if (job != null && !job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        } catch (Exception e) {
            // already finished or failed: nothing left to stop
        }
        join(producer);
        join(consumer);
        if (web != null) {
            web.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void join(Thread t) {
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs until the end (--max-events) or until interrupted (Ctrl-C). */
    public static int run(Long maxEvents, double rate, int port, int lingerSeconds, PrintStream out) throws Exception {
        DemoRunner demo = new DemoRunner(maxEvents, rate, out);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("\nstopping the demo ...");
            demo.close();
            closed.countDown();
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.start(port);
            if (maxEvents == null) {
                closed.await();
                return 0;
            }
            int rc = demo.awaitEnd();
            if (lingerSeconds > 0) {
                out.println("serving the page for " + lingerSeconds + " s more ...");
                closed.await(lingerSeconds, java.util.concurrent.TimeUnit.SECONDS);
            }
            return rc;
        } finally {
            demo.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

}
