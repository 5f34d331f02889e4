package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignComponent;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.TrainingSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * Rows held out of the fit and the measures of the fitted model on them: deviance, actual against expected by
 * level and band, calibration and lift. Test rows with a categorical level the training rows lack cannot be
 * predicted and are left out (counted in {@code leftOut}).
 *
 * @param testRows  the evaluated test rows' indices in the full data, ascending
 * @param rows      per-row values of the test rows (no leverage: {@code hat} and what needs it are NaN)
 * @param deviance  sum of the family's deviance contributions at the training fit's means
 * @param bands     by band of each numeric term, cut at the test rows' own deciles
 */
public record Holdout(int[] testRows, long leftOut, RowDiagnostics rows, double deviance, double sumWeights,
                      ActualExpected actualExpected, ActualExpected bands, Lift lift) {

    /** Each row is a test row with probability {@code fraction}, from a generator seeded with {@code seed}. */
    public static boolean[] random(int rows, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("holdout fraction " + fraction + " is not in (0, 1)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] test = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            test[i] = random.nextDouble() < fraction;
        }
        return test;
    }

    /** Test rows are those where the numeric column is 1, training rows where it is 0. */
    public static boolean[] byColumn(DataTable data, String column) {
        double[] v = data.numeric(column);
        boolean[] test = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && v[i] != 1) {
                throw DataException.at(data.source(), i + 1, column, "value " + v[i] + " is neither 0 nor 1",
                        "a holdout column marks test rows with 1 and training rows with 0");
            }
            test[i] = v[i] == 1;
        }
        return test;
    }

    /** The indices of the rows where {@code test} equals {@code wanted}, ascending. */
    public static int[] rowsWhere(boolean[] test, boolean wanted) {
        int count = 0;
        for (boolean t : test) {
            count += t == wanted ? 1 : 0;
        }
        int[] out = new int[count];
        for (int i = 0, k = 0; i < test.length; i++) {
            if (test[i] == wanted) {
                out[k++] = i;
            }
        }
        return out;
    }

    /**
     * @param fit      the fit on the training rows
     * @param data     the full data; {@code testRows} index it
     */
    public static Holdout compute(Fitting.Detailed fit, DataTable data, int[] testRows, long seed,
                                  ForkJoinPool pool) {
        var out = fit.output();
        var step = fit.finalStep();
        int[] known = predictable(out.design().terms(), data, testRows);
        if (known.length == 0) {
            throw new DataException(data.source() + ": none of the " + testRows.length + " holdout rows can be"
                    + " predicted (no test rows, or each has a level the training rows lack): hold out more rows");
        }
        DataTable test = data.subset(known);
        DesignMatrix m = TrainingSet.build(out.spec(), out.model(), out.design(), test, new ArrayList<>());
        double dispersion = out.result().dispersion() == null ? Double.NaN : out.result().dispersion();
        double theta = out.result().theta() == null ? Double.NaN : out.result().theta();
        RowDiagnostics rows = RowDiagnostics.compute(m, step, out.model().link(), dispersion, theta, seed, pool,
                false);
        double deviance = 0;
        double sumWeights = 0;
        for (int i = 0; i < m.rows(); i++) {
            deviance += step.family().devResid(m.y(i), rows.fitted()[i], m.weight(i));
            sumWeights += m.weight(i);
        }
        String exposureColumn = out.spec().exposure();
        double[] exposure = exposureColumn == null ? null : test.numeric(exposureColumn);
        return new Holdout(known, testRows.length - known.length, rows, deviance, sumWeights,
                ActualExpected.compute(m, out.design(), step.family(), rows.fitted(), dispersion),
                Bands.compute(m, out.design(), step.family(), rows.fitted(), dispersion),
                Lift.compute(m, step.family(), rows.fitted(), step.beta(), exposure, dispersion));
    }

    /** The test rows whose every categorical value is a level of the training design. */
    private static int[] predictable(List<DesignTerm> terms, DataTable data, int[] testRows) {
        List<FactorComponent> factors = new ArrayList<>();
        for (DesignTerm t : terms) {
            for (DesignComponent c : t.components()) {
                if (c instanceof FactorComponent f) {
                    factors.add(f);
                }
            }
        }
        List<boolean[]> knownCode = new ArrayList<>();
        List<int[]> codes = new ArrayList<>();
        for (FactorComponent f : factors) {
            var column = data.categorical(f.column());
            Set<String> levels = new HashSet<>(f.levels());
            boolean[] ok = new boolean[column.dictionary().size()];
            for (int c = 0; c < ok.length; c++) {
                ok[c] = levels.contains(column.dictionary().get(c));
            }
            knownCode.add(ok);
            codes.add(column.codes());
        }
        int[] keep = new int[testRows.length];
        int k = 0;
        for (int row : testRows) {
            boolean ok = true;
            for (int f = 0; f < factors.size() && ok; f++) {
                ok = knownCode.get(f)[codes.get(f)[row]];
            }
            if (ok) {
                keep[k++] = row;
            }
        }
        return java.util.Arrays.copyOf(keep, k);
    }
}
