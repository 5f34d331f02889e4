package io.streamglm.job.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamglm.engine.diagnostics.ActualExpected;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.operators.RefitFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code --cells}: windows kept as cells of distinct design rows refit as {@code streamglm fit} on the window's
 * rows (estimates, standard errors, HC0, deviance, AIC, dispersion), on one operator per model and on two shards,
 * through a real broker and a MiniCluster.
 */
class CellStreamITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @ParameterizedTest(name = "{0} {1} {2}, {4} shard(s)")
    @CsvSource({"poisson, tumbling:1h, rocksdb, 3, 1", "quasipoisson, sliding:2h/1h, hashmap, 4, 1",
            "poisson, sliding:2h/1h, rocksdb, 4, 2", "quasipoisson, tumbling:1h, hashmap, 3, 2"})
    void cellsRefitAsTheWindowsRows(String family, String window, String backend, int refits, int shards)
            throws Exception {
        String spec = "{\"model\": \"m\", \"response\": \"y\", \"family\": \"" + family + "\", \"exposure\": \"expo\","
                + " \"terms\": {\"g\": {\"type\": \"categorical\", \"levels\": [\"a\", \"b\", \"c\"]}}}";
        KafkaTestSupport kafka = KafkaTestSupport.get();
        List<StreamTestData.Row> rows = StreamTestData.rows("poisson", 300, 3, 303);
        String[] topics = kafka.topicsWithRows(rows, "out", "feedback");
        String in = topics[0], out = topics[1], feedback = topics[2];
        StreamTestJobs.run(StreamTestJobs.options(kafka, spec, window, in, out, null, null, null,
                RefitFunction.Mode.EXACT, (long) rows.size())
                        .toBuilder().shards(shards).feedback(feedback).cells(true).build(), s -> s,
                backend);

        Map<String, String> outputs = kafka.refitOutputs(out, refits);
        assertThat(outputs).hasSize(refits);
        List<String> counted = new java.util.ArrayList<>();
        for (String json : outputs.values()) {
            JsonNode refit = StreamTestData.JSON.readTree(json);
            long start = refit.get("window").get("start_ms").asLong();
            long end = refit.get("window").get("end_ms").asLong();
            List<StreamTestData.Row> mine = rows.stream().filter(r -> r.ts() >= start && r.ts() < end).toList();
            Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(spec, null), StreamTestData.table(mine), null);
            GlmResult expected = fit.output().result();
            assertThat(refit.get("rows").asLong()).isEqualTo(mine.size());
            assertThat(refit.get("iterations").asInt()).isEqualTo(expected.iterations());
            for (Coefficient c : expected.coefficients()) {
                JsonNode actual = refit.get("coefficients").get(c.name());
                assertThat(actual.get("estimate").asDouble()).as("%s %s", refit.get("refit").asText(), c.name())
                        .isCloseTo(c.estimate(), within(1e-9 * Math.abs(c.estimate())));
                assertThat(actual.get("std_error").asDouble()).isCloseTo(c.stdError(), within(1e-9 * c.stdError()));
                assertThat(actual.get("robust_se_HC0").asDouble())
                        .isCloseTo(c.robustSeHc0(), within(1e-9 * c.robustSeHc0()));
                assertThat(actual.get("robust_se_HC3").isNull()).as("HC3 needs each row's leverage").isTrue();
            }
            assertThat(refit.get("deviance").asDouble()).isCloseTo(expected.deviance(),
                    within(1e-9 * expected.deviance()));
            assertThat(refit.get("dispersion").asDouble()).isCloseTo(expected.dispersion(),
                    within(1e-9 * expected.dispersion()));
            if (expected.aic() != null) {
                assertThat(refit.get("aic").asDouble()).isCloseTo(expected.aic(), within(1e-9 * expected.aic()));
            }
            assertThat(refit.get("warnings").toString()).contains("fitted from", "cells", "HC2 and HC3");
            // the summary from the cells: A/E by level and the Gini of the window's rows; the normalising Gini,
            // which orders rows by their own actual rate, is not in cells
            WindowSummary want = WindowSummary.compute(fit.matrix(), fit.output().design(), fit.output().model(),
                    expected, mine.stream().mapToDouble(StreamTestData.Row::expo).toArray(), null);
            JsonNode diag = refit.get("diagnostics");
            assertThat(diag.has("summary_unavailable")).isFalse();
            assertThat(diag.get("gini").asDouble()).isCloseTo(want.gini(), within(1e-9));
            assertThat(diag.get("gini_normalised").isNull()).isTrue();
            JsonNode levels = diag.get("actual_expected").get("g");
            assertThat(levels).hasSize(3);
            for (int l = 0; l < 3; l++) {
                ActualExpected.Level w = want.actualExpected().terms().get("g").get(l);
                assertThat(levels.get(l).get("rows").asLong()).isEqualTo(w.rows());
                assertThat(levels.get(l).get("expected").asDouble()).isCloseTo(w.expected(),
                        within(1e-9 * w.expected()));
                assertThat(levels.get(l).get("ratio_ci_lower").asDouble()).isCloseTo(w.ciLower(), within(1e-9));
            }
            counted.add(refit.get("diagnostics").get("drift").isObject() ? "drift" : "first");
        }
        // every refit after a window's first is checked against the previous window's model
        assertThat(counted).contains("first", "drift");
    }
}
