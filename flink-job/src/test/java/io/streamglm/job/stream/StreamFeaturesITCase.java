package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.shards.Feedback;
import io.streamglm.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyed models, dead letters, exactly-once under failure and on-demand refits, with a real broker. */
class StreamFeaturesITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String SPEC = StreamTestData.spec("poisson", ", \"exposure\": \"expo\"");

    private static Map<String, String> outputs(KafkaTestSupport kafka, String topic, int expected) {
        return kafka.refitOutputs(topic, expected);
    }

    @Test
    void severalModelsKeyedByAFieldInOneJob() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 400, 2, 77);
        String[] topics = kafka.topicsWithRows(rows, "out");
        String in = topics[0], out = topics[1];
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, "tumbling:1h", in, out, null, null, "region",
                RefitFunction.Mode.EXACT, (long) rows.size()), s -> s);
        Map<String, String> outputs = outputs(kafka, out, 4);
        assertThat(outputs).hasSize(4);
        for (String region : List.of("north", "south")) {
            for (int h = 0; h < 2; h++) {
                long start = StreamTestData.T0 + h * StreamTestData.HOUR;
                List<StreamTestData.Row> mine = rows.stream().filter(r -> r.region().equals(region)
                        && r.ts() >= start && r.ts() < start + StreamTestData.HOUR).toList();
                GlmResult expected = Fitting.fit(SpecParser.parse(SPEC, null), StreamTestData.table(mine), null).result();
                JsonNode actual = outputs.values().stream().map(StreamFeaturesITCase::json)
                        .filter(n -> n.get("model").asText().equals("m/" + region)
                                && n.get("window").get("start_ms").asLong() == start)
                        .findFirst().orElseThrow();
                assertThat(actual.get("rows").asLong()).isEqualTo(mine.size());
                for (Coefficient c : expected.coefficients()) {
                    assertThat(actual.get("coefficients").get(c.name()).get("estimate").asDouble())
                            .isCloseTo(c.estimate(), org.assertj.core.api.Assertions.within(1e-9 * Math.abs(c.estimate())));
                }
            }
        }
    }

    @Test
    void csvLinesRefitExactlyAsTheirJsonRecords() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 200, 2, 79);
        Map<String, Map<String, String>> runs = new TreeMap<>();
        for (String format : List.of("json", "csv")) {
            String in = StreamTestJobs.unique("in-" + format);
            String out = StreamTestJobs.unique("out-" + format);
            kafka.topics(in, out);
            kafka.send(in, rows.stream().map(r -> format.equals("csv") ? r.csv() : r.json()).toList());
            String spec = format.equals("csv") ? StreamTestData.spec("poisson", ", \"exposure\": \"expo\", "
                    + StreamTestData.CSV_HEADER) : SPEC;
            StreamTestJobs.run(StreamTestJobs.options(kafka, spec, "tumbling:1h", in, out, null, null, null,
                    RefitFunction.Mode.EXACT, (long) rows.size()), s -> s);
            Map<String, String> numbers = new TreeMap<>();
            outputs(kafka, out, 2).forEach((id, text) -> {
                JsonNode n = json(text);
                numbers.put(id, n.get("rows") + " " + n.get("coefficients") + " " + n.get("deviance") + " "
                        + n.get("aic"));
            });
            runs.put(format, numbers);
        }
        assertThat(runs.get("csv")).hasSize(2).isEqualTo(runs.get("json"));
    }

    /** With one operator per model, and with two shards (late rows are then found by the shards). */
    @ParameterizedTest(name = "{0} shard(s)")
    @ValueSource(ints = {1, 2})
    void badRecordsGoToTheDeadLetterTopicAndChangeNothing(int shards) throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 300, 3, 78);
        // Baseline without bad records.
        String in0 = StreamTestJobs.unique("in");
        String out0 = StreamTestJobs.unique("out");
        String feedback0 = StreamTestJobs.unique("feedback");
        kafka.topics(in0, out0, feedback0);
        kafka.send(in0, rows.stream().map(StreamTestData.Row::json).toList());
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, "tumbling:1h", in0, out0, null, null, null,
                RefitFunction.Mode.EXACT, (long) rows.size())
                        .toBuilder().shards(shards).feedback(feedback0).build(), s -> s);
        Map<String, String> baseline = outputs(kafka, out0, 3);

        // The same rows with one bad record of each kind and a few thousand random byte strings among them.
        List<byte[]> mixed = new ArrayList<>();
        Map<String, Integer> expectedReasons = new HashMap<>();
        SplittableRandom random = new SplittableRandom(9);
        int randomBytes = 0;
        for (int i = 0; i < rows.size(); i++) {
            mixed.add(rows.get(i).json());
            if (i == 10) {
                mixed.add("{\"ts\": 1, \"x1\": ".getBytes(StandardCharsets.UTF_8));
                mixed.add(("{\"ts\": " + rows.get(i).ts() + ", \"x1\": 0.1, \"x2\": 1, \"g\": \"a\", \"expo\": 1}").getBytes(StandardCharsets.UTF_8));
                mixed.add(("{\"ts\": " + rows.get(i).ts() + ", \"x1\": \"abc\", \"x2\": 1, \"g\": \"a\", \"y\": 1, \"expo\": 1}").getBytes(StandardCharsets.UTF_8));
                mixed.add(("{\"ts\": " + rows.get(i).ts() + ", \"x1\": 0.1, \"x2\": 1, \"g\": \"a\", \"y\": -1, \"expo\": 1}").getBytes(StandardCharsets.UTF_8));
                mixed.add(("{\"ts\": " + rows.get(i).ts() + ", \"x1\": 0.1, \"x2\": 1, \"g\": \"zzz\", \"y\": 1, \"expo\": 1}").getBytes(StandardCharsets.UTF_8));
                mixed.add(("{\"ts\": " + rows.get(i).ts() + ", \"x1\": 0.1, \"x2\": 1, \"g\": \"a\", \"y\": 1, \"expo\": 0}").getBytes(StandardCharsets.UTF_8));
                expectedReasons.merge("malformed", 1, Integer::sum);
                expectedReasons.merge("missing_field", 1, Integer::sum);
                expectedReasons.merge("wrong_type", 1, Integer::sum);
                expectedReasons.merge("out_of_domain", 2, Integer::sum);
                expectedReasons.merge("unseen_level", 1, Integer::sum);
            }
            if (i % 10 == 0) {
                for (int k = 0; k < 10; k++) {
                    byte[] junk = new byte[1 + random.nextInt(40)];
                    random.nextBytes(junk);
                    junk[0] = (byte) (junk[0] == '{' ? '[' : junk[0]);
                    mixed.add(junk);
                    randomBytes++;
                }
            }
            if (i == 2 * 300 + 5) {
                // an hour-0 record long after hour 0 was refitted
                StreamTestData.Row late = rows.get(3);
                mixed.add(late.json());
                expectedReasons.merge("late", 1, Integer::sum);
            }
        }
        String in = StreamTestJobs.unique("in");
        String out = StreamTestJobs.unique("out");
        String dlq = StreamTestJobs.unique("dlq");
        String feedback = StreamTestJobs.unique("feedback");
        kafka.topics(in, out, dlq, feedback);
        kafka.send(in, mixed);
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, "tumbling:1h", in, out, dlq, null, null,
                RefitFunction.Mode.EXACT, (long) mixed.size())
                        .toBuilder().shards(shards).feedback(feedback).build(), s -> s);

        // Identical refits; only the provenance's input topic differs between the two runs.
        assertThat(withoutInput(outputs(kafka, out, 3))).isEqualTo(withoutInput(baseline));
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAll(dlq, 7 + randomBytes, Duration.ofSeconds(30));
        Map<String, Integer> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            String reason = new String(d.headers().lastHeader(StreamJob.REASON_HEADER).value(), StandardCharsets.UTF_8);
            reasons.merge(reason, 1, Integer::sum);
            assertThat(d.headers().lastHeader(StreamJob.DETAIL_HEADER)).isNotNull();
            assertThat(new String(d.headers().lastHeader(StreamJob.SOURCE_HEADER).value(), StandardCharsets.UTF_8))
                    .startsWith(in + "/0/");
            long offset = Long.parseLong(new String(d.headers().lastHeader(StreamJob.SOURCE_HEADER).value(),
                    StandardCharsets.UTF_8).split("/")[2]);
            assertThat(d.value()).as("original bytes of offset %d", offset).isEqualTo(mixed.get((int) offset));
        }
        Map<String, Integer> expected = new HashMap<>(expectedReasons);
        int malformed = reasons.getOrDefault("malformed", 0);
        assertThat(dead).hasSize(7 + randomBytes);
        assertThat(malformed + reasons.getOrDefault("missing_field", 0) + reasons.getOrDefault("wrong_type", 0))
                .isEqualTo(expected.get("malformed") + expected.get("missing_field") + expected.get("wrong_type") + randomBytes);
        assertThat(reasons.get("out_of_domain")).isEqualTo(2);
        assertThat(reasons.get("unseen_level")).isEqualTo(1);
        assertThat(reasons.get("late")).isEqualTo(1);
        assertThat(reasons.get("wrong_type")).isGreaterThanOrEqualTo(1);
        assertThat(reasons.get("missing_field")).isGreaterThanOrEqualTo(1);
    }

    /** Throws once, after a number of records, the first time it runs in this JVM. */
    static final class FailOnce extends RichMapFunction<Event, Event> {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong SEEN = new AtomicLong();
        private final long after;

        FailOnce(long after) {
            this.after = after;
        }

        @Override public Event map(Event e) throws Exception {
            Thread.sleep(3); // lets a few checkpoints complete before the failure
            if (SEEN.incrementAndGet() == after && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + after + " records");
            }
            return e;
        }
    }

    /**
     * With one operator per model, and with two shards whose passes go through the feedback topic (the failure then
     * strikes while refits are in the loop, and the topic keeps what the failed attempt sent after the restored
     * checkpoint).
     */
    @ParameterizedTest(name = "{0} shard(s)")
    @ValueSource(ints = {1, 2})
    void aFailureMidStreamChangesNoOutputRecord(int shards) throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 250, 4, 79);
        String[] topics = kafka.topicsWithRows(rows, "out", "out", "feedback", "feedback");
        String in = topics[0], outClean = topics[1], outFailed = topics[2];
        String feedbackClean = topics[3], feedbackFailed = topics[4];
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, "tumbling:1h", in, outClean, null, null, null,
                RefitFunction.Mode.EXACT, (long) rows.size())
                        .toBuilder().shards(shards).feedback(feedbackClean).build(), s -> s);
        Map<String, String> clean = outputs(kafka, outClean, 4);
        assertThat(clean).hasSize(4);

        FailOnce.FAILED.set(false);
        FailOnce.SEEN.set(0);
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, "tumbling:1h", in, outFailed, null, null, null,
                        RefitFunction.Mode.EXACT, (long) rows.size())
                                .toBuilder().shards(shards).feedback(feedbackFailed).build(),
                s -> s.map(new FailOnce(650)).returns(SerializerTypeInfo.EVENT).setParallelism(1));
        assertThat(FailOnce.FAILED.get()).as("the failure was injected").isTrue();
        // Exactly the same records (read_committed): none missing, none twice, the same numbers to the last bit.
        assertThat(outputs(kafka, outFailed, 4)).isEqualTo(clean);
        if (shards > 1) {
            // the restored attempt ran passes through the loop too (the failure came before the last two windows)
            assertThat(kafka.readAll(feedbackFailed, 1, Duration.ofSeconds(10)))
                    .extracting(r -> Feedback.decode(r.value()))
                    .anyMatch(m -> m.kind() == Feedback.Kind.PASS && m.sender().attempt() == 1);
        }
    }

    @Test
    void theControlTopicTriggersARefitOnDemand() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 300, 1, 80);
        String[] topics = kafka.topicsWithRows(rows, "out", "control");
        String in = topics[0], out = topics[1], control = topics[2];
        StreamOptions options = StreamTestJobs.options(kafka, SPEC, "global", in, out, null, control, null,
                RefitFunction.Mode.EXACT, null);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamJob.build(env, options, s -> s);
        JobClient job = env.executeAsync("control test");
        try {
            GlmResult expected = Fitting.fit(SpecParser.parse(SPEC, null), StreamTestData.table(rows), null).result();
            JsonNode refit = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (refit == null && System.currentTimeMillis() < deadline) {
                kafka.send(control, List.of("{\"model\": \"m\", \"refit\": \"now\"}".getBytes(StandardCharsets.UTF_8)));
                Thread.sleep(1500);
                for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(out, 0, Duration.ofSeconds(2))) {
                    JsonNode n = json(new String(r.value(), StandardCharsets.UTF_8));
                    if (n.get("refit").asText().startsWith("control:") && n.get("rows").asLong() == rows.size()) {
                        refit = n;
                    }
                }
            }
            assertThat(refit).as("an on-demand refit of all %d rows", rows.size()).isNotNull();
            assertThat(refit.get("window").get("kind").asText()).isEqualTo("on-demand:now");
            for (Coefficient c : expected.coefficients()) {
                assertThat(refit.get("coefficients").get(c.name()).get("estimate").asDouble())
                        .isCloseTo(c.estimate(), org.assertj.core.api.Assertions.within(1e-9 * Math.abs(c.estimate())));
            }
        } finally {
            job.cancel().get();
        }
    }

    private static Map<String, String> withoutInput(Map<String, String> outputs) {
        Map<String, String> out = new TreeMap<>();
        outputs.forEach((k, v) -> {
            com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) json(v);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("provenance")).remove("input");
            out.put(k, n.toString());
        });
        return out;
    }

    private static JsonNode json(String text) {
        try {
            return StreamTestData.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
