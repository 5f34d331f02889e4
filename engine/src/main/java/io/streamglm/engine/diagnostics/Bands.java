package io.streamglm.engine.diagnostics;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.NumericComponent;
import io.streamglm.engine.family.Family;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Actual against expected by band of each numeric main effect: bands of (about) equal row counts cut at the
 * column's deciles, a value never split across two bands (tied cut points merge bands), each labelled
 * {@code [lowest, highest]} by the values it holds.
 */
public final class Bands {
    public static final int BANDS = 10;

    private Bands() {
    }

    public static ActualExpected compute(DesignMatrix m, FittedDesign design, Family family, double[] fitted,
                                         double dispersion) {
        Map<String, List<ActualExpected.Level>> out = new LinkedHashMap<>();
        int[] denseColumns = m.denseColumns();
        double[] dense = m.denseValues();
        int n = m.rows();
        for (DesignTerm term : design.terms()) {
            if (term.components().size() != 1 || !(term.components().get(0) instanceof NumericComponent)) {
                continue;
            }
            int a = Arrays.binarySearch(denseColumns, term.firstColumn());
            if (a < 0) {
                continue;
            }
            double[] values = Arrays.copyOfRange(dense, a * n, a * n + n);
            out.put(term.label(), of(values, m, family, fitted, dispersion));
        }
        return new ActualExpected(out);
    }

    /** A/E by band of any column of values, one per row of {@code m}. */
    public static List<ActualExpected.Level> of(double[] values, DesignMatrix m, Family family, double[] fitted,
                                                double dispersion) {
        int n = values.length;
        double[] sorted = values.clone();
        Arrays.parallelSort(sorted); // the same order as a sort, on every core
        double[] cuts = distinctCuts(sorted);
        int bands = cuts.length + 1;
        GroupSums sums = new GroupSums(bands);
        double[] low = new double[bands];
        double[] high = new double[bands];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            double v = values[i];
            int band = bandOf(cuts, v);
            low[band] = Math.min(low[band], v);
            high[band] = Math.max(high[band], v);
            sums.add(band, m.weight(i), m.y(i), fitted[i], family.variance(fitted[i]));
        }
        List<String> labels = new ArrayList<>(bands);
        for (int b = 0; b < bands; b++) {
            labels.add(String.format(Locale.ROOT, "[%s, %s]", format(low[b]), format(high[b])));
        }
        return sums.levels(labels, dispersion);
    }

    /** The values at ranks n k / BANDS, k = 1 .. BANDS - 1, without repeats and above the minimum. */
    private static double[] distinctCuts(double[] sorted) {
        int n = sorted.length;
        double[] cuts = new double[BANDS - 1];
        int c = 0;
        for (int k = 1; k < BANDS; k++) {
            double v = sorted[(int) ((long) n * k / BANDS)];
            if (v > sorted[0] && (c == 0 || v > cuts[c - 1])) {
                cuts[c++] = v;
            }
        }
        return Arrays.copyOf(cuts, c);
    }

    /** The number of cuts at or below v: a row at a cut point opens the next band. */
    private static int bandOf(double[] cuts, double v) {
        int lo = 0;
        int hi = cuts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cuts[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
