package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the golden cases do not reach: aliased columns, zero weights, parallel chunks, the quantile residuals'
 * distribution, drop1's marginality and binomial A/E with trials as weights. (R's values are in
 * {@code DiagnosticsCasesTest}.)
 */
class DiagnosticsTest {
    private static final double TIGHT = 1e-10;

    /** Columns x, x2 = 2 x, w, y and the categorical g (3 levels). */
    private static DataTable table(int n, long seed, boolean binomial) {
        Random random = new Random(seed);
        return TestColumns.drawn("diag", n, (i, row) -> {
            double x = random.nextGaussian();
            int g = random.nextInt(3);
            double eta = 0.3 + 0.5 * x + 0.4 * g;
            double w;
            double y;
            if (binomial) {
                w = 1 + random.nextInt(5);
                double p = 1 / (1 + Math.exp(-(eta - 1)));
                int s = 0;
                for (int t = 0; t < w; t++) {
                    s += random.nextDouble() < p ? 1 : 0;
                }
                y = s / w;
            } else {
                w = i % 7 == 3 ? 0 : 1;
                y = Draws.poisson(random, Math.exp(eta));
            }
            row.numeric("x", x).numeric("x2", 2 * x).numeric("w", w).numeric("y", y)
                    .categorical("g", g, List.of("a", "b", "c"));
        });
    }

    private static Diagnostics diagnose(String family, String extra, DataTable data, String terms, ForkJoinPool pool) {
        String spec = "{\"response\": \"y\", \"family\": \"" + family + "\"" + extra + ", \"terms\": {" + terms + "}}";
        return Diagnostics.compute(Fitting.fitDetailed(SpecParser.parse(spec, null), data, pool), data, 3, pool);
    }

    private static final String X_G = "\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}";

    @Test
    void anAliasedColumnChangesNoLeverageAndTheLeveragesSumToTheRank() {
        DataTable data = table(200, 1, false);
        RowDiagnostics plain = diagnose("poisson", "", data, X_G, null).rows();
        RowDiagnostics aliased = diagnose("poisson", "", data, X_G + ", \"x2\": {\"type\": \"linear\"}", null).rows();
        for (int i = 0; i < data.rows(); i++) {
            assertThat(aliased.hat()[i]).isCloseTo(plain.hat()[i], within(TIGHT));
            assertThat(aliased.cooksDistance()[i]).isCloseTo(plain.cooksDistance()[i], within(TIGHT));
        }
        assertThat(Arrays.stream(plain.hat()).sum()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void zeroWeightRowsHaveNoInfluenceMeasuresAndDoNotMoveTheOthers() {
        DataTable data = table(210, 2, false);
        RowDiagnostics weighted = diagnose("poisson", ", \"weights\": \"w\"", data, X_G, null).rows();
        double[] w = data.numeric("w");
        int kept = (int) Arrays.stream(w).filter(v -> v > 0).count();
        int[] keep = new int[kept];
        for (int i = 0, k = 0; i < w.length; i++) {
            if (w[i] > 0) {
                keep[k++] = i;
            }
        }
        RowDiagnostics subset = diagnose("poisson", "", subset(data, keep), X_G, null).rows();
        for (int i = 0, k = 0; i < w.length; i++) {
            if (w[i] == 0) {
                assertThat(weighted.hat()[i]).isNaN();
                assertThat(weighted.cooksDistance()[i]).isNaN();
                assertThat(weighted.residPearson()[i]).isZero();
                assertThat(weighted.residDeviance()[i]).isZero();
            } else {
                assertThat(weighted.hat()[i]).isCloseTo(subset.hat()[k], within(1e-8));
                assertThat(weighted.stdResidDeviance()[i]).isCloseTo(subset.stdResidDeviance()[k], within(1e-7));
                k++;
            }
        }
    }

    @Test
    void parallelChunksGiveTheSameBitsAsOneThread() {
        DataTable data = table(70_000, 3, false);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            RowDiagnostics one = diagnose("poisson", "", data, X_G, null).rows();
            RowDiagnostics two = diagnose("poisson", "", data, X_G, pool).rows();
            assertThat(two.hat()).isEqualTo(one.hat());
            assertThat(two.residQuantile()).isEqualTo(one.residQuantile());
            assertThat(two.stdResidDeviance()).isEqualTo(one.stdResidDeviance());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void quantileResidualsAreStandardNormalWhenTheModelIsRight() {
        for (String family : List.of("poisson", "binomial")) {
            boolean binomial = family.equals("binomial");
            DataTable data = table(60_000, 4, binomial);
            RowDiagnostics rows = diagnose(family, binomial ? ", \"weights\": \"w\"" : "", data, X_G, null).rows();
            double[] q = rows.residQuantile();
            double mean = Arrays.stream(q).average().orElseThrow();
            double variance = Arrays.stream(q).map(v -> (v - mean) * (v - mean)).sum() / (q.length - 1);
            assertThat(mean).as(family).isCloseTo(0.0, within(0.03));
            assertThat(variance).as(family).isCloseTo(1.0, within(0.03));
        }
        assertThat(diagnose("gaussian", "", table(50, 5, false), X_G, null).rows().residQuantile()).isNull();
    }

    @Test
    void drop1LeavesMainEffectsOfAnInteractionInPlace() {
        DataTable data = table(300, 6, false);
        String spec = ", \"interactions\": [{\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"},"
                + " \"include_main\": true}]";
        Drop1 drop1 = diagnose("poisson", spec, data, X_G, null).drop1();
        assertThat(drop1.terms().keySet()).containsExactly("x:g");
        assertThat(drop1.terms().get("x:g").df()).isEqualTo(2);
    }

    @Test
    void droppingTheOnlyTermOfAModelWithoutInterceptFitsTheOffsetAlone() {
        DataTable data = table(120, 8, false);
        Diagnostics d = diagnose("poisson", ", \"intercept\": false", data, "\"g\": {\"type\": \"categorical\"}",
                null);
        double[] y = data.numeric("y");
        double nullDeviance = 0;
        for (double v : y) {
            nullDeviance += 2 * ((v > 0 ? v * Math.log(v) : 0) - (v - 1)); // mu = exp(0) = 1
        }
        Drop1.Row row = d.drop1().terms().get("g");
        assertThat(row.df()).isEqualTo(3);
        assertThat(row.deviance()).isCloseTo(nullDeviance, within(1e-9 * nullDeviance));
        assertThat(d.vif()).as("car gives none for one term").isNull();
    }

    @Test
    void binomialActualCountsSuccessesAndMatchesExpectedUnderTheCanonicalLink() {
        DataTable data = table(400, 7, true);
        Diagnostics d = diagnose("binomial", ", \"weights\": \"w\"", data, X_G, null);
        double[] w = data.numeric("w");
        double[] y = data.numeric("y");
        int[] g = data.categorical("g").codes();
        List<ActualExpected.Level> levels = d.actualExpected().terms().get("g");
        for (int level = 0; level < 3; level++) {
            double successes = 0;
            long rows = 0;
            for (int i = 0; i < w.length; i++) {
                if (g[i] == level) {
                    successes += w[i] * y[i];
                    rows++;
                }
            }
            ActualExpected.Level l = levels.get(level);
            assertThat(l.rows()).isEqualTo(rows);
            assertThat(l.actual()).isCloseTo(Math.rint(successes), within(1e-9));
            assertThat(l.ratio()).isCloseTo(1.0, within(1e-6));
            assertThat(l.ciLower()).isLessThan(1.0);
            assertThat(l.ciUpper()).isGreaterThan(1.0);
        }
    }

    private static DataTable subset(DataTable data, int[] keep) {
        Map<String, double[]> numeric = new LinkedHashMap<>();
        for (String c : List.of("x", "x2", "w", "y")) {
            double[] all = data.numeric(c);
            numeric.put(c, Arrays.stream(keep).mapToDouble(i -> all[i]).toArray());
        }
        int[] codes = data.categorical("g").codes();
        Map<String, CategoricalColumn> cats = new LinkedHashMap<>();
        cats.put("g", new CategoricalColumn(Arrays.stream(keep).map(i -> codes[i]).toArray(), List.of("a", "b", "c")));
        return new DataTable("diag-subset", keep.length, numeric, cats, List.of("x", "x2", "w", "y", "g"));
    }
}
