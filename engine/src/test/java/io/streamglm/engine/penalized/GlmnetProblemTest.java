package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.data.TestColumns;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast paths of {@link GlmnetProblem} (all sums of a Newton step at once, a categorical's levels summed and
 * stepped together, rows on two cores) against the column by column operations they replace: equal to the bit, on
 * more rows than the two-core threshold.
 */
class GlmnetProblemTest {
    private static final int N = 70_000;

    private static GlmnetProblem problem() {
        Random rnd = new Random(5);
        DataTable data = TestColumns.drawn("test", N, (i, row) -> {
            double x1 = rnd.nextGaussian();
            double x2 = rnd.nextGaussian() * 3 + 1;
            int region = rnd.nextInt(7);
            int band = rnd.nextInt(4);
            row.numeric("y", rnd.nextInt(3)).numeric("x1", x1).numeric("x2", x2)
                    .categorical("region", region, List.of("a", "b", "c", "d", "e", "f", "g"))
                    .categorical("band", band, List.of("p", "q", "r", "s"));
        });
        ModelSpec spec = SpecParser.parse("{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {\"x1\": "
                + "{\"type\": \"linear\"}, \"region\": {\"type\": \"categorical\"}, \"x2\": {\"type\": \"linear\"}, "
                + "\"band\": {\"type\": \"categorical\"}}, \"penalty\": {\"l1_ratio\": 1}}", null);
        List<String> warnings = new ArrayList<>();
        FittedDesign design = DesignBuilder.fit(spec, data, warnings);
        GlmModel model = GlmModel.of(spec, design);
        return GlmnetProblem.of(TrainingSet.build(spec, model, design, data, warnings), null, true, true);
    }

    private static double[] random(Random rnd) {
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = rnd.nextDouble() - 0.3;
        }
        return a;
    }

    @Test
    void newtonStepSumsAreTheColumnSums() {
        GlmnetProblem pr = problem();
        Random rnd = new Random(1);
        double[] a = random(rnd);
        double[] b = random(rnd);
        double[] ax = new double[pr.p];
        double[] axx = new double[pr.p];
        double[] bx = new double[pr.p];
        pr.sums(a, b, ax, axx, bx);
        for (int j = 0; j < pr.p; j++) {
            assertThat(ax[j]).as("ax[%d]", j).isEqualTo(pr.rawDot(j, a));
            assertThat(axx[j]).as("axx[%d]", j).isEqualTo(pr.rawWeightedSquares(j, a));
            assertThat(bx[j]).as("bx[%d]", j).isEqualTo(pr.rawDot(j, b));
        }
    }

    @Test
    void levelsSummedAndSteppedTogetherAreSteppedOneByOne() {
        GlmnetProblem pr = problem();
        Random rnd = new Random(2);
        double[] a = random(rnd);
        double[] r = random(rnd);
        int runs = 0;
        for (int j = 0; j < pr.p; j = pr.blockEnd(j)) {
            int end = pr.blockEnd(j);
            if (end - j < 2) {
                continue;
            }
            runs++;
            double[] raw = new double[end - j];
            pr.blockRows(j, r, raw);
            double[] d = new double[end - j];
            double[] oneByOne = r.clone();
            for (int c = j; c < end; c++) {
                assertThat(raw[c - j]).as("raw[%d]", c).isEqualTo(pr.rawDot(c, r));
                d[c - j] = c % 3 == 0 ? 0 : rnd.nextGaussian();
                if (d[c - j] != 0) {
                    pr.subtractRaw(c, d[c - j], a, oneByOne);
                }
            }
            pr.blockSubtract(j, d, a, r);
            assertThat(r).isEqualTo(oneByOne);
        }
        assertThat(runs).as("runs of levels (region and band)").isEqualTo(2);
    }

    @Test
    void rowLoopsOnTwoCoresAreTheSequentialLoop() {
        GlmnetProblem pr = problem();
        Random rnd = new Random(3);
        double[] a = random(rnd);
        double[] target = random(rnd);
        double[] expected = target.clone();
        int dense = 0;
        while (pr.nonZeros(dense) < N) {
            dense++;
        }
        double c = 0.7 / pr.xs[dense];
        double[] x = new double[N];
        pr.addRaw(dense, 1, x);
        for (int i = 0; i < N; i++) {
            expected[i] -= c * a[i] * x[i];
        }
        pr.subtractRaw(dense, 0.7, a, target);
        assertThat(target).isEqualTo(expected);
    }
}
