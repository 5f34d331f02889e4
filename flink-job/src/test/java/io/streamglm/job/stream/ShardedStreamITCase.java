package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.engine.diagnostics.ActualExpected;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.operators.RefitFunction;
import io.streamglm.job.refit.Refitter;
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
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 400, 2, 77);
        String[] topics = kafka.topicsWithRows(rows, "out", "feedback");
        String in = topics[0], out = topics[1], feedback = topics[2];
        StreamTestJobs.run(StreamTestJobs.options(kafka, SPEC, "sliding:2h/1h", in, out, null, null, "region",
                RefitFunction.Mode.EXACT, (long) rows.size())
                        .toBuilder().shards(3).feedback(feedback).build(), s -> s, "rocksdb");

        // two regions, windows ending at 1h, 2h and 3h
        Map<String, String> outputs = kafka.refitOutputs(out, 6);
        assertThat(outputs).hasSize(6);
        // in window order, so that each window's previous window has been fitted
        List<JsonNode> refits = new java.util.ArrayList<>();
        for (String json : outputs.values()) {
            refits.add(StreamTestData.JSON.readTree(json));
        }
        refits.sort(java.util.Comparator.comparingLong(r -> r.get("window").get("end_ms").asLong()));
        Map<String, GlmResult> fits = new java.util.HashMap<>();
        for (JsonNode refit : refits) {
            String region = refit.get("model").asText().substring("m/".length());
            long start = refit.get("window").get("start_ms").asLong();
            long end = refit.get("window").get("end_ms").asLong();
            List<StreamTestData.Row> mine = rows.stream()
                    .filter(r -> r.region().equals(region) && r.ts() >= start && r.ts() < end).toList();
            Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(SPEC, null), StreamTestData.table(mine), null);
            GlmResult expected = fit.output().result();
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
            fits.put(refit.get("refit").asText() + region, expected);

            // The diagnostics summary, summed on the shards and merged by the coordinator, is what one operator
            // holding the window's rows computes: A/E by level and Gini at the refit, drift against the previous
            // window's model.
            String previousId = Refitter.windowRefitId(start - 3_600_000L, end - 3_600_000L);
            GlmResult previous = fits.get(previousId + region);
            double[] exposure = mine.stream().mapToDouble(StreamTestData.Row::expo).toArray();
            WindowSummary want = WindowSummary.compute(fit.matrix(), fit.output().design(), fit.output().model(),
                    expected, exposure, previous == null ? null : WindowSummary.PreviousModel.of(previousId, previous));
            JsonNode diag = refit.get("diagnostics");
            assertThat(diag.has("summary_unavailable")).isFalse();
            assertThat(diag.get("gini_weight").asText()).isEqualTo("exposure");
            assertThat(diag.get("gini").asDouble()).isCloseTo(want.gini(), within(1e-9));
            assertThat(diag.get("gini_normalised").asDouble()).isCloseTo(want.giniNormalised(), within(1e-9));
            sameLevels(diag.get("actual_expected").get("g"), want.actualExpected().terms().get("g"));
            if (previous == null) {
                assertThat(diag.get("drift").isNull()).as(refit.get("refit").asText()).isTrue();
            } else {
                JsonNode drift = diag.get("drift");
                assertThat(drift.get("previous_refit").asText()).isEqualTo(previousId);
                assertThat(drift.get("flag").asBoolean()).isEqualTo(want.drift().flag());
                sameLevels(drift.get("actual_expected").get("g"), want.drift().actualExpected().terms().get("g"));
            }
        }
        // three shards of each model: every pass of a window with rows on all of them asks all three
        List<Feedback> passes = kafka.readAll(feedback, 1, Duration.ofSeconds(10)).stream()
                .map(r -> Feedback.decode(r.value())).filter(m -> m.kind() == Feedback.Kind.PASS).toList();
        assertThat(passes).isNotEmpty().allSatisfy(m -> assertThat(m.shards()).containsExactly(0, 1, 2));
    }

    private static void sameLevels(JsonNode got, List<ActualExpected.Level> want) {
        assertThat(got).hasSize(want.size());
        for (int l = 0; l < want.size(); l++) {
            ActualExpected.Level w = want.get(l);
            JsonNode g = got.get(l);
            assertThat(g.get("level").asText()).isEqualTo(w.level());
            assertThat(g.get("rows").asLong()).isEqualTo(w.rows());
            assertThat(g.get("actual").asDouble()).isCloseTo(w.actual(), within(1e-9 * Math.max(1, w.actual())));
            assertThat(g.get("expected").asDouble()).isCloseTo(w.expected(), within(1e-9 * w.expected()));
            assertThat(g.get("ratio_ci_upper").asDouble()).isCloseTo(w.ciUpper(), within(1e-9));
        }
    }
}
