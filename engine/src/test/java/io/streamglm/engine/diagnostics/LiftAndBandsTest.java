package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.fit.Draws;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Gini, deciles of prediction, Hosmer-Lemeshow and bands of numeric terms. */
class LiftAndBandsTest {

    @Test
    void argSortIsAStableAscendingOrderWithNaNLast() {
        Random random = new Random(13);
        for (int n : new int[]{0, 1, 2, 7, 1000, 4097}) {
            double[] key = new double[n];
            for (int i = 0; i < n; i++) {
                key[i] = i % 11 == 5 ? Double.NaN : random.nextInt(50) / 7.0; // ties and NaN
            }
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            java.util.Arrays.sort(boxed, (i, j) -> Double.compare(key[i], key[j])); // stable TimSort
            assertThat(ArgSort.ascending(key)).containsExactly(java.util.Arrays.stream(boxed).mapToInt(i -> i).toArray());
        }
    }

    @Test
    void giniIsTwiceTheAreaUnderTheLorenzCurveMinusOne() {
        double[] a = {0, 0, 1, 3};
        double[] e = {1, 1, 1, 1};
        // From the highest score: (0.25, 0.75), (0.5, 1), (0.75, 1), (1, 1); area 0.8125.
        assertThat(Lift.gini(new double[]{1, 2, 3, 4}, e, a, 4, 4)).isCloseTo(0.625, within(1e-15));
        assertThat(Lift.gini(new double[]{4, 3, 2, 1}, e, a, 4, 4)).isCloseTo(-0.625, within(1e-15));
        assertThat(Lift.gini(new double[]{1, 1, 1, 1}, e, a, 4, 4)).as("one tie: the diagonal").isCloseTo(0, within(1e-15));
    }

    @Test
    void poissonWithExposureHasEqualExposureDecilesAndAPositiveGini() {
        DataTable data = table(20_000, 11);
        String spec = "{\"response\": \"y\", \"family\": \"poisson\", \"exposure\": \"t\", \"terms\": {"
                + "\"x\": {\"type\": \"linear\"}, \"k\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}}}";
        Diagnostics d = Diagnostics.compute(Fitting.fitDetailed(SpecParser.parse(spec, null), data, null), data, 1,
                null);
        double totalExposure = 0;
        for (double t : data.numeric("t")) {
            totalExposure += t;
        }
        assertThat(d.lift().deciles()).hasSize(10);
        for (Lift.Decile dec : d.lift().deciles()) {
            assertThat(dec.exposure()).isCloseTo(totalExposure / 10, within(totalExposure * 0.002));
        }
        assertThat(d.lift().deciles().get(9).lift()).isGreaterThan(d.lift().deciles().get(0).lift());
        assertThat(d.lift().gini()).isGreaterThan(0.1);
        assertThat(d.lift().giniNormalised()).isBetween(d.lift().gini(), 1.0);
        assertThat(d.lift().hosmerLemeshow()).isNull();

        List<ActualExpected.Level> kBands = d.bands().terms().get("k");
        assertThat(kBands).as("k has 3 distinct values").hasSize(3);
        assertThat(kBands.stream().mapToLong(ActualExpected.Level::rows).sum()).isEqualTo(data.rows());
        assertThat(kBands.get(0).level()).isEqualTo("[0, 0]");
        assertThat(d.bands().terms().get("x")).hasSize(10);
        // The intercept's score equation of a canonical-link fit: total actual equals total expected.
        double actual = kBands.stream().mapToDouble(ActualExpected.Level::actual).sum();
        double expected = kBands.stream().mapToDouble(ActualExpected.Level::expected).sum();
        assertThat(expected).isCloseTo(actual, within(1e-6 * actual));
    }

    @Test
    void binomialGetsHosmerLemeshowOnEightDegreesOfFreedom() {
        DataTable data = table(5_000, 12);
        String spec = "{\"response\": \"b\", \"family\": \"binomial\", \"terms\": {\"x\": {\"type\": \"linear\"}}}";
        Diagnostics d = Diagnostics.compute(Fitting.fitDetailed(SpecParser.parse(spec, null), data, null), data, 1,
                null);
        Lift.HosmerLemeshow hl = d.lift().hosmerLemeshow();
        assertThat(hl.df()).isEqualTo(8);
        assertThat(hl.statistic()).isPositive();
        assertThat(hl.pValue()).as("the model is right").isGreaterThan(1e-3);
    }

    /** x normal, k in {0, 1, 2}, g 3 levels, exposure t, Poisson y at rate exp(-1 + 0.4 x + 0.2 k), binary b. */
    private static DataTable table(int n, long seed) {
        Random random = new Random(seed);
        return TestColumns.drawn("lift", n, (i, row) -> {
            double x = random.nextGaussian();
            double k = random.nextInt(3);
            int g = random.nextInt(3);
            double t = 0.5 + random.nextDouble();
            double y = Draws.poisson(random, t * Math.exp(-1 + 0.4 * x + 0.2 * k));
            double b = random.nextDouble() < 1 / (1 + Math.exp(-(0.3 + 1.2 * x))) ? 1 : 0;
            row.numeric("x", x).numeric("k", k).numeric("t", t).numeric("y", y).numeric("b", b)
                    .categorical("g", g, List.of("a", "b", "c"));
        });
    }
}
