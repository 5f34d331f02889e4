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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Distributed refits (rows over (model, shard) keys, passes through the feedback topic): keyed models on sliding
 * windows with RocksDB and more shards than subtasks. Every family with 2 shards is in {@link StreamExactITCase},
 * a failure during the feedback loop in {@link StreamFeaturesITCase}.
 */
class ShardedStreamITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String SPEC = StreamTestData.spec("poisson", ", \"exposure\": \"expo\"");

    @Test
    void keyedModelsOnSlidingWindowsWithRocksDbEqualFit() throws Exception {
        KafkaTestSupport kafka = KafkaTestSupport.get();
        String in = StreamTestJobs.unique("in");
        String out = StreamTestJobs.unique("out");
        String feedback = StreamTestJobs.unique("feedback");
        kafka.topics(in, out, feedback);
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 400, 2, 77);
        kafka.send(in, rows.stream().map(StreamTestData.Row::json).toList());
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, "sliding:2h/1h", in, out, null, null, "region",
                RefitFunction.Mode.EXACT, (long) rows.size())
                        .toBuilder().shards(3).feedback(feedback).build(), s -> s, "rocksdb");

        // two regions, windows ending at 1h, 2h and 3h
        Map<String, String> outputs = kafka.refitOutputs(out, 6);
        assertThat(outputs).hasSize(6);
        for (String json : outputs.values()) {
            JsonNode refit = StreamTestData.JSON.readTree(json);
            String region = refit.get("model").asText().substring("m/".length());
            long start = refit.get("window").get("start_ms").asLong();
            long end = refit.get("window").get("end_ms").asLong();
            List<StreamTestData.Row> mine = rows.stream()
                    .filter(r -> r.region().equals(region) && r.ts() >= start && r.ts() < end).toList();
            GlmResult expected = Fitting.fit(SpecParser.parse(SPEC, null), StreamTestData.table(mine), null).result();
            assertThat(refit.get("rows").asLong()).isEqualTo(mine.size());
            assertThat(refit.get("iterations").asInt()).isEqualTo(expected.iterations());
            for (Coefficient c : expected.coefficients()) {
                assertThat(refit.get("coefficients").get(c.name()).get("estimate").asDouble())
                        .as("%s %s", refit.get("refit").asText(), c.name())
                        .isCloseTo(c.estimate(), within(1e-9 * Math.abs(c.estimate())));
                assertThat(refit.get("coefficients").get(c.name()).get("robust_se_HC0").asDouble())
                        .isCloseTo(c.robustSeHc0(), within(1e-9 * c.robustSeHc0()));
            }
            assertThat(refit.get("aic").asDouble()).isCloseTo(expected.aic(), within(1e-9 * expected.aic()));
        }
        // three shards of each model: every pass of a window with rows on all of them asks all three
        List<Feedback> passes = kafka.readAll(feedback, 1, Duration.ofSeconds(10)).stream()
                .map(r -> Feedback.decode(r.value())).filter(m -> m.kind() == Feedback.Kind.PASS).toList();
        assertThat(passes).isNotEmpty().allSatisfy(m -> assertThat(m.shards()).containsExactly(0, 1, 2));
    }
}
