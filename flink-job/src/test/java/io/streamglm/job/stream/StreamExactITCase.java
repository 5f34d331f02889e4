package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.shards.Feedback;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exact mode equals {@code streamglm fit} on each window's rows, for every family, with parallelism 2 and two
 * windows, through a real Kafka broker and a Flink MiniCluster: refitted by one operator per model, and by
 * distributed passes over two shards per model with the coefficients fed back through a Kafka topic.
 */
class StreamExactITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @ParameterizedTest(name = "{0}, {2} shard(s)")
    @CsvSource(delimiter = ';', value = {
            "gaussian;;1", "poisson;, \"exposure\": \"expo\";1", "quasipoisson;;1", "binomial;;1",
            "quasibinomial;;1", "gamma;, \"link\": \"log\";1", "inverse_gaussian;, \"link\": \"log\";1",
            "tweedie;, \"var_power\": 1.6;1", "negbinomial;, \"exposure\": \"expo\";1",
            "gaussian;;2", "poisson;, \"exposure\": \"expo\";2", "quasipoisson;;2", "binomial;;2",
            "quasibinomial;;2", "gamma;, \"link\": \"log\";2", "inverse_gaussian;, \"link\": \"log\";2",
            "tweedie;, \"var_power\": 1.6;2", "negbinomial;, \"exposure\": \"expo\";2"})
    void exactRefitsEqualFitOnTheWindowsRows(String family, String extra, int shards) throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows(family, 300, 2, family.hashCode());
        String[] topics = kafka.topicsWithRows(rows, "out", "feedback");
        String in = topics[0], out = topics[1], feedback = topics[2];
        String spec = StreamTestData.spec(family, extra == null ? "" : extra);

        StreamTestJobs.run(StreamTestJobs.options(kafka, spec, "tumbling:1h", in, out, null, null, null,
                RefitFunction.Mode.EXACT, (long) rows.size())
                        .toBuilder().shards(shards).feedback(feedback).build(), s -> s);

        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll(out, 2, Duration.ofSeconds(30));
        assertThat(records).hasSize(2);
        if (shards > 1) {
            assertPassesWentThroughTheFeedbackTopic(kafka, feedback, shards);
        }
        for (int h = 0; h < 2; h++) {
            long start = StreamTestData.T0 + h * StreamTestData.HOUR;
            List<StreamTestData.Row> window = new ArrayList<>();
            for (StreamTestData.Row r : rows) {
                if (r.ts() >= start && r.ts() < start + StreamTestData.HOUR) {
                    window.add(r);
                }
            }
            GlmResult expected = Fitting.fit(SpecParser.parse(spec, null), StreamTestData.table(window), null).result();
            JsonNode actual = record(records, start);
            assertThat(actual.get("model").asText()).isEqualTo("m");
            assertThat(actual.get("rows").asLong()).isEqualTo(window.size());
            assertThat(actual.get("mode").asText()).isEqualTo("exact");
            for (Coefficient c : expected.coefficients()) {
                double a = actual.get("coefficients").get(c.name()).get("estimate").asDouble();
                assertThat(Math.abs(a - c.estimate())).as("%s %s", family, c.name())
                        .isLessThanOrEqualTo(1e-9 * Math.max(1e-12, Math.abs(c.estimate())));
                double se = actual.get("coefficients").get(c.name()).get("std_error").asDouble();
                assertThat(Math.abs(se - c.stdError())).isLessThanOrEqualTo(1e-9 * c.stdError());
            }
            assertThat(actual.get("deviance").asDouble()).isCloseTo(expected.deviance(),
                    org.assertj.core.api.Assertions.within(1e-9 * Math.abs(expected.deviance())));
            if (expected.theta() != null) {
                assertThat(actual.get("theta").asDouble()).isCloseTo(expected.theta(),
                        org.assertj.core.api.Assertions.within(1e-9 * expected.theta()));
            }
        }
    }

    /** Each window's passes after the start pass were asked of all its shards through the topic, then released. */
    private static void assertPassesWentThroughTheFeedbackTopic(KafkaTestSupport kafka, String topic, int shards) {
        List<Feedback> messages = kafka.readAll(topic, 1, Duration.ofSeconds(10)).stream()
                .map(r -> Feedback.decode(r.value())).toList();
        for (int h = 0; h < 2; h++) {
            long end = StreamTestData.T0 + (h + 1) * StreamTestData.HOUR;
            List<Feedback> window = messages.stream().filter(m -> m.window() == end).toList();
            assertThat(window).as("feedback of window %d", h).hasSizeGreaterThan(2);
            assertThat(window).filteredOn(m -> m.kind() == Feedback.Kind.PASS)
                    .allSatisfy(m -> assertThat(m.shards()).hasSize(shards))
                    .extracting(Feedback::iteration).startsWith(1, 2);
            assertThat(window.get(window.size() - 1).kind()).isEqualTo(Feedback.Kind.RELEASE);
        }
        assertThat(messages).filteredOn(m -> m.kind() == Feedback.Kind.END).extracting(Feedback::iteration)
                .as("an end from each coordinator subtask").containsExactlyInAnyOrder(0, 1);
    }

    static JsonNode record(List<ConsumerRecord<byte[], byte[]>> records, long windowStart) throws Exception {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode n = StreamTestData.JSON.readTree(r.value());
            if (n.get("window").get("start_ms").asLong() == windowStart) {
                return n;
            }
        }
        throw new AssertionError("no refit of the window starting at " + windowStart);
    }
}
