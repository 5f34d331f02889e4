package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A stream refit's summary is the batch diagnostics' A/E and Gini; the drift check scores with another model. */
class WindowSummaryTest {

    @Test
    void summaryEqualsTheBatchDiagnosticsAndTheSameModelShowsNoDrift() {
        int n = 4_000;
        DataTable data = Draws.poissonTable("w", n, 5, 4, -0.5, 0.3, 0.2);
        String spec = "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {\"x\": {\"type\": \"linear\"},"
                + " \"g\": {\"type\": \"categorical\"}}}";
        Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(spec, null), data, null);
        Diagnostics batch = Diagnostics.compute(fit, data, 1, null);
        GlmResult result = fit.output().result();

        WindowSummary s = WindowSummary.compute(fit.matrix(), fit.output().design(), fit.output().model(), result, null,
                WindowSummary.PreviousModel.of("w:before", result));
        List<ActualExpected.Level> want = batch.actualExpected().terms().get("g");
        List<ActualExpected.Level> got = s.actualExpected().terms().get("g");
        assertThat(got).hasSize(4);
        for (int l = 0; l < 4; l++) {
            assertThat(got.get(l).level()).isEqualTo(want.get(l).level());
            assertThat(got.get(l).rows()).isEqualTo(want.get(l).rows());
            assertThat(got.get(l).expected()).isCloseTo(want.get(l).expected(), within(1e-9 * want.get(l).expected()));
            assertThat(got.get(l).ciLower()).isCloseTo(want.get(l).ciLower(), within(1e-9));
            assertThat(got.get(l).ciUpper()).isCloseTo(want.get(l).ciUpper(), within(1e-9));
        }
        assertThat(s.gini()).isCloseTo(batch.lift().gini(), within(1e-12));
        assertThat(s.giniNormalised()).isCloseTo(batch.lift().giniNormalised(), within(1e-12));
        assertThat(s.exposureWeighted()).isFalse();

        // The same model on the same rows: A/E 1 by the score equations, nothing flags.
        assertThat(s.drift().previousRefit()).isEqualTo("w:before");
        assertThat(s.drift().flag()).isFalse();
        for (ActualExpected.Level l : s.drift().actualExpected().terms().get("g")) {
            assertThat(l.ratio()).isCloseTo(1.0, within(1e-6));
        }

        // A model whose level d effect is 0.5 too low: level d's rows are under-predicted and flag.
        double[] beta = result.linearPredictorCoefficients();
        int d = fit.output().design().columnNames().indexOf("g[T.d]");
        assertThat(d).isPositive();
        beta[d] -= 0.5;
        WindowSummary shifted = WindowSummary.compute(fit.matrix(), fit.output().design(), fit.output().model(),
                result, null, new WindowSummary.PreviousModel("w:low", beta, 1.0, Double.NaN));
        assertThat(shifted.drift().flag()).isTrue();
        assertThat(shifted.drift().levels()).singleElement().satisfies(level -> {
            assertThat(level.term()).isEqualTo("g");
            assertThat(level.level()).isEqualTo("d");
            assertThat(level.ratio()).isCloseTo(Math.exp(0.5), within(1e-6));
            assertThat(level.lower()).isGreaterThan(1.0);
        });
    }
}
