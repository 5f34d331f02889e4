package io.streamglm.engine.diagnostics;

import io.streamglm.engine.design.DesignMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * The double-lift chart of the fitted model against another model (e.g. the one in production): rows ordered
 * by the ratio of the two predictions, model / compared, cut into deciles of equal exposure weight (as
 * {@link Lift}); per decile the actual and each model's expected. The better model is the one whose A/E stays
 * near 1 where the two disagree most (the first and last deciles).
 *
 * @param compared     the compared model's source (its file)
 * @param rowsLeftOut  rows the compared model cannot score (an unseen level, a missing column)
 */
public record DoubleLift(String compared, long rowsLeftOut, List<Decile> deciles) {
    public static final int DECILES = 10;

    /** @param ratio actual / expected of the fitted model; {@code ratioCompared} the same of the compared one */
    public record Decile(int decile, long rows, double exposure, double actual, double expected,
                         double expectedCompared, double ratio, double ratioCompared) {
    }

    public DoubleLift {
        deciles = List.copyOf(deciles);
    }

    /**
     * @param fitted   the fitted model's means
     * @param compared the compared model's means, NaN where it gives none (see {@code TableScoring})
     * @param exposure each row's exposure, or null for 1
     */
    public static DoubleLift compute(String source, DesignMatrix m, double[] fitted, double[] compared,
                                     double[] exposure) {
        int n = m.rows();
        double total = 0;
        int scored = 0;
        double[] e = new double[n];
        double[] ratio = new double[n];
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(compared[i]) && compared[i] > 0) {
                scored++;
                e[i] = m.weight(i) * (exposure == null ? 1.0 : exposure[i]);
                ratio[i] = fitted[i] / compared[i];
                total += e[i];
            } else {
                ratio[i] = Double.NaN; // sorts last, and is cut off below
            }
        }
        int[] order = java.util.Arrays.copyOf(ArgSort.ascending(ratio), scored);
        long[] rows = new long[DECILES];
        double[] exp = new double[DECILES];
        double[] actual = new double[DECILES];
        double[] expected = new double[DECILES];
        double[] expectedCompared = new double[DECILES];
        double before = 0;
        for (int i : order) {
            int d = (int) Math.min(DECILES - 1, Math.floor(DECILES * (before + e[i] / 2) / total));
            before += e[i];
            double w = m.weight(i);
            rows[d]++;
            exp[d] += e[i];
            actual[d] += w * m.y(i);
            expected[d] += w * fitted[i];
            expectedCompared[d] += w * compared[i];
        }
        List<Decile> deciles = new ArrayList<>();
        for (int d = 0; d < DECILES; d++) {
            if (rows[d] > 0) {
                deciles.add(new Decile(d + 1, rows[d], exp[d], actual[d], expected[d], expectedCompared[d],
                        actual[d] / expected[d], actual[d] / expectedCompared[d]));
            }
        }
        return new DoubleLift(source, n - order.length, deciles);
    }
}
