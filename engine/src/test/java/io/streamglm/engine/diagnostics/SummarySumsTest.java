package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Summary sums add up over disjoint sets of rows: the merge of the sums of a split of the rows, in any split, gives
 * the summary of all of them (A/E, Gini, drift), and a single set gives the batch diagnostics' Gini to the bit.
 */
class SummarySumsTest {
    private static final String SPEC = "{\"response\": \"y\", \"family\": \"poisson\", \"exposure\": \"t\", \"terms\":"
            + " {\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}, \"h\": {\"type\": \"categorical\"}}}";

    private final int n = 3_000;
    private final double[] x = new double[n];
    private final double[] t = new double[n];
    private final double[] y = new double[n];
    private final int[] g = new int[n];
    private final int[] h = new int[n];

    SummarySumsTest() {
        Random random = new Random(11);
        for (int i = 0; i < n; i++) {
            // x on a coarse grid, so that many rows tie on their score (the Gini's steps)
            x[i] = Math.round(random.nextGaussian() * 4) / 4.0;
            g[i] = random.nextInt(4);
            h[i] = random.nextInt(3);
            t[i] = 0.25 + random.nextInt(4) * 0.25;
            y[i] = Draws.poisson(random, t[i] * Math.exp(-0.7 + 0.3 * x[i] + 0.2 * g[i] - 0.1 * h[i]));
        }
    }

    private DataTable table(int from, int to) {
        return new TestColumns().numeric("x", Arrays.copyOfRange(x, from, to))
                .numeric("t", Arrays.copyOfRange(t, from, to)).numeric("y", Arrays.copyOfRange(y, from, to))
                .categorical("g", Arrays.copyOfRange(g, from, to), List.of("a", "b", "c", "d"))
                .categorical("h", Arrays.copyOfRange(h, from, to), List.of("p", "q", "r")).table("w", to - from);
    }

    /** The fit of all n rows, and a previous model that differs from it by {@code shift} in one coefficient. */
    private record Drifted(Fitting.Detailed fit, FittedDesign design, GlmResult result,
                           WindowSummary.PreviousModel previous, SummarySums.Request request) {
    }

    private Drifted drifted(String coefficient, double shift) {
        Fitting.Detailed fit = Fitting.fitDetailed(SpecParser.parse(SPEC, null), table(0, n), null);
        FittedDesign design = fit.output().design();
        GlmResult result = fit.output().result();
        double[] shifted = result.linearPredictorCoefficients();
        shifted[design.columnNames().indexOf(coefficient)] += shift;
        WindowSummary.PreviousModel previous = new WindowSummary.PreviousModel("w:before", shifted, 1.0, Double.NaN);
        return new Drifted(fit, design, result, previous,
                new SummarySums.Request(WindowSummary.PreviousModel.of("", result), previous));
    }

    private static DesignMatrix matrix(FittedDesign design, DataTable data) {
        double[] offset = new double[data.rows()];
        for (int i = 0; i < offset.length; i++) {
            offset[i] = Math.log(data.numeric("t")[i]);
        }
        return DesignMatrix.encode(design, data, data.numeric("y"), null, offset);
    }

    @Test
    void mergedSumsOfAnySplitGiveTheSummaryOfAllRows() {
        Drifted d = drifted("g[T.c]", 0.4);
        DesignMatrix all = matrix(d.design(), table(0, n));
        double[] exposure = Arrays.copyOf(t, n);
        WindowSummary whole = SummarySums.accumulate(all, d.design(), d.fit().output().model(), d.request(),
                exposure).summary(d.design(), d.result(), d.previous(), true);
        // the batch Gini of the same rows, to the bit: the same steps in the same order
        Diagnostics batch = Diagnostics.compute(d.fit(), table(0, n), 1, null);
        assertThat(whole.gini()).isEqualTo(batch.lift().gini());
        assertThat(whole.giniNormalised()).isEqualTo(batch.lift().giniNormalised());

        for (int[] cuts : new int[][]{{1500}, {1, 2999}, {700, 701, 2200}}) {
            SummarySums merged = null;
            int from = 0;
            int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
            ends[cuts.length] = n;
            for (int end : ends) {
                DesignMatrix part = matrix(d.design(), table(from, end));
                SummarySums sums = SummarySums.fromBytes(SummarySums.accumulate(part, d.design(),
                        d.fit().output().model(), d.request(), Arrays.copyOfRange(t, from, end)).toBytes());
                merged = merged == null ? sums : merged.merge(sums);
                from = end;
            }
            WindowSummary split = merged.summary(d.design(), d.result(), d.previous(), true);
            assertThat(split.gini()).isCloseTo(whole.gini(), within(1e-12));
            assertThat(split.giniNormalised()).isCloseTo(whole.giniNormalised(), within(1e-12));
            sameLevels(split.actualExpected(), whole.actualExpected());
            sameLevels(split.drift().actualExpected(), whole.drift().actualExpected());
            assertThat(split.drift().levels()).extracting(l -> l.term() + ":" + l.level())
                    .isEqualTo(whole.drift().levels().stream().map(l -> l.term() + ":" + l.level()).toList());
        }
        // level c's effect 0.4 too high: its rows are over-predicted, and through the intercept every h level too
        assertThat(whole.drift().levels()).extracting(l -> l.term() + ":" + l.level())
                .containsExactly("g:c", "h:p", "h:q", "h:r");
    }

    private static void sameLevels(ActualExpected got, ActualExpected want) {
        assertThat(got.terms().keySet()).containsExactly("g", "h");
        for (String term : want.terms().keySet()) {
            List<ActualExpected.Level> a = got.terms().get(term);
            List<ActualExpected.Level> b = want.terms().get(term);
            assertThat(a).hasSameSizeAs(b);
            for (int l = 0; l < a.size(); l++) {
                assertThat(a.get(l).rows()).isEqualTo(b.get(l).rows());
                assertThat(a.get(l).actual()).isCloseTo(b.get(l).actual(), within(1e-9));
                assertThat(a.get(l).expected()).isCloseTo(b.get(l).expected(), within(1e-9));
                assertThat(a.get(l).ciLower()).isCloseTo(b.get(l).ciLower(), within(1e-12));
                assertThat(a.get(l).ciUpper()).isCloseTo(b.get(l).ciUpper(), within(1e-12));
            }
        }
    }

    @Test
    void cellsGiveTheRowsSummaryButTheNormalisingGini() {
        Drifted d = drifted("h[T.q]", -0.3);
        DesignMatrix all = matrix(d.design(), table(0, n));
        WindowSummary rows = SummarySums.accumulate(all, d.design(), d.fit().output().model(), d.request(),
                WindowSummary.exposure(SpecParser.parse(SPEC, null), all))
                .summary(d.design(), d.result(), d.previous(), true);

        io.streamglm.engine.accumulate.CellTable table =
                io.streamglm.engine.accumulate.CellTable.compress(all, d.design());
        assertThat(table.size()).isLessThan(n); // x on a grid: rows share cells
        SummarySums whole = SummarySums.fromBytes(SummarySums.accumulateCells(table, d.design(), d.request(), true)
                .toBytes());
        WindowSummary cells = whole.summary(d.design(), d.result(), d.previous(), true);
        assertThat(cells.gini()).isCloseTo(rows.gini(), within(1e-12));
        assertThat(cells.giniNormalised()).isNaN();
        sameLevels(cells.actualExpected(), rows.actualExpected());
        sameLevels(cells.drift().actualExpected(), rows.drift().actualExpected());
        assertThat(cells.drift().levels()).extracting(l -> l.term() + ":" + l.level())
                .isEqualTo(rows.drift().levels().stream().map(l -> l.term() + ":" + l.level()).toList());
    }

    @Test
    void stepsMergeTiesAcrossSetsAsOneStep() {
        GiniSteps left = GiniSteps.of(new double[]{1, 2, 2, -0.0}, new double[]{1, 1, 1, 1}, new double[]{0, 1, 2, 3});
        GiniSteps right = GiniSteps.of(new double[]{2, 0.0, 3}, new double[]{2, 2, 2}, new double[]{1, 1, 1});
        GiniSteps merged = left.merge(right);
        // -0.0 and 0.0 tie (==), as the Gini's loop over sorted scores takes them
        assertThat(merged.score).containsExactly(-0.0, 1, 2, 3);
        assertThat(merged.exposure).containsExactly(3, 1, 4, 2);
        assertThat(merged.actual).containsExactly(4, 0, 4, 1);
        double[] score = {1, 2, 2, -0.0, 2, 0.0, 3};
        double[] e = {1, 1, 1, 1, 2, 2, 2};
        double[] a = {0, 1, 2, 3, 1, 1, 1};
        assertThat(merged.gini(10, 9)).isCloseTo(Lift.gini(score, e, a, 10, 9), within(1e-15));
    }

    @Test
    void requestsAndSumsRoundTripAndRefuseOtherBytes() {
        WindowSummary.PreviousModel m = new WindowSummary.PreviousModel("w:1", new double[]{0.5, -1}, 1.5, 2.0);
        SummarySums.Request back = SummarySums.Request.fromBytes(new SummarySums.Request(null, m).toBytes());
        assertThat(back.current()).isNull();
        assertThat(back.previous().refit()).isEqualTo("w:1");
        assertThat(back.previous().beta()).containsExactly(0.5, -1);
        assertThat(new SummarySums.Request(null, null).empty()).isTrue();
        assertThatThrownBy(() -> SummarySums.fromBytes(new byte[12]))
                .hasMessageContaining("not summary sums");
        byte[] future = new SummarySums.Request(m, null).toBytes();
        future[4] = 9;
        assertThatThrownBy(() -> SummarySums.Request.fromBytes(future)).hasMessageContaining("version 9");
    }
}
