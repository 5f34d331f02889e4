package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.fit.FinalStep;
import io.streamglm.engine.link.Link;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "unmodelled factor" check: for a categorical column of the data that is not in the model, actual against
 * expected per level, and the score (Rao) test of adding it with treatment contrasts (first level in sorted
 * order as the base); for a numeric column, A/E by band (as {@link Bands}) and the test of adding it linearly.
 * The test needs no refit:
 *
 * <pre>
 *   U = Z' W r,   I = Z' W Z - Z' W X (X'WX)^-1 X' W Z,   S = U' I^-1 U / dispersion  ~  chi-square(rank I)
 * </pre>
 *
 * with W the working weights and (X'WX)^-1 of the last IRLS step and r the final working residuals, as R's
 * {@code add1.glm(test = "Rao")} takes them ({@code fit$weights}, {@code fit$residuals}). Levels whose
 * indicator is already spanned by the model (e.g. a column that repeats a modelled factor) are left out of the
 * degrees of freedom.
 *
 * @param columns by column name, in the order asked
 */
public record UnmodelledFactors(Map<String, Column> columns) {
    /** Relative pivot below which a level's indicator counts as spanned by the model and the other levels. */
    private static final double SPANNED = 1e-9;

    /**
     * @param numeric   whether the column is numeric: then {@code levels} are bands and the test is of adding it
     *                  linearly (1 df)
     * @param statistic null when the column adds nothing (df 0)
     */
    public record Column(boolean numeric, List<ActualExpected.Level> levels, Double statistic, int df,
                         Double pValue) {
        public Column {
            levels = List.copyOf(levels);
        }
    }

    public UnmodelledFactors {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * @param rows    the fit's per-row values (fitted means and working residuals)
     * @param names   categorical columns of {@code data} to check
     * @param numeric numeric columns of {@code data} to check (A/E by band, score test of adding it linearly)
     */
    public static UnmodelledFactors compute(DesignMatrix m, FinalStep step, Link link, double dispersion,
                                            RowDiagnostics rows, DataTable data, List<String> names,
                                            List<String> numeric) {
        Map<String, Column> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, column(m, step, link, dispersion, rows, data.categorical(name)));
        }
        for (String name : numeric) {
            double[] v = data.numeric(name);
            int[] index = new int[v.length];
            List<ActualExpected.Level> bands = Bands.of(v, m, step.family(), rows.fitted(), dispersion);
            out.put(name, score(m, step, link, dispersion, rows, 1, index, v, true, bands));
        }
        return new UnmodelledFactors(out);
    }

    private static Column column(DesignMatrix m, FinalStep step, Link link, double dispersion, RowDiagnostics rows,
                                 CategoricalColumn column) {
        double[] fitted = rows.fitted();
        Family family = step.family();
        int n = m.rows();
        List<String> dictionary = column.dictionary();
        Integer[] sortedCodes = new Integer[dictionary.size()];
        for (int c = 0; c < sortedCodes.length; c++) {
            sortedCodes[c] = c;
        }
        Arrays.sort(sortedCodes, (a, b) -> dictionary.get(a).compareTo(dictionary.get(b)));
        int levels = sortedCodes.length;
        int[] levelOfCode = new int[levels];
        List<String> labels = new ArrayList<>(levels);
        for (int l = 0; l < levels; l++) {
            levelOfCode[sortedCodes[l]] = l;
            labels.add(dictionary.get(sortedCodes[l]));
        }
        GroupSums sums = new GroupSums(levels);
        int[] codes = column.codes();
        int[] index = new int[n];
        double[] one = new double[n];
        for (int i = 0; i < n; i++) {
            int level = levelOfCode[codes[i]];
            sums.add(level, m.weight(i), m.y(i), fitted[i], family.variance(fitted[i]));
            index[i] = level - 1; // the base level has no indicator
            one[i] = 1.0;
        }
        return score(m, step, link, dispersion, rows, levels - 1, index, one, false, sums.levels(labels, dispersion));
    }

    /**
     * The score test of adding k columns Z, each row having at most one non-zero entry {@code value[i]} in column
     * {@code index[i]} (none where it is negative).
     */
    private static Column score(DesignMatrix m, FinalStep step, Link link, double dispersion, RowDiagnostics rows,
                                int k, int[] index, double[] value, boolean numeric,
                                List<ActualExpected.Level> levels) {
        Family family = step.family();
        int n = m.rows();
        int p = m.columns();
        double[] working = rows.residWorking();
        double[] u = new double[k];
        double[] d = new double[k];
        double[] b = new double[p * k]; // X' W Z, column j of Z's column j
        int[] dense = m.denseColumns();
        double[] values = m.denseValues();
        int[] idx = m.indices();
        double[] val = m.values();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        double[] beta0 = step.solvedAt().beta();
        for (int i = 0; i < n; i++) {
            int j = index[i];
            double wt = m.weight(i);
            if (j < 0 || wt <= 0) {
                continue;
            }
            double eta0 = eta0(m, i, step, link, beta0);
            double mu0 = link.linkinv(eta0);
            double muEta0 = link.muEta(eta0, mu0);
            double wz = wt * muEta0 * muEta0 / family.variance(mu0) * value[i];
            u[j] += wz * working[i];
            d[j] += wz * value[i];
            for (int a = 0; a < dense.length; a++) {
                b[dense[a] * k + j] += wz * values[a * n + i];
            }
            for (int e = 0, base = i * stride; e < nnz[i]; e++) {
                b[idx[base + e] * k + j] += wz * val[base + e];
            }
        }
        // I = Z'WZ - B' C B with C = (X'WX)^-1 (zero where aliased); Z'WZ is diagonal (one entry per row).
        double[] c = step.unscaledCovariance();
        double[] cb = new double[p * k];
        for (int r = 0; r < p; r++) {
            for (int s = 0; s < p; s++) {
                double crs = c[r * p + s];
                if (crs != 0) {
                    for (int j = 0; j < k; j++) {
                        cb[r * k + j] += crs * b[s * k + j];
                    }
                }
            }
        }
        double[] info = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = i == j ? d[i] : 0.0;
                for (int r = 0; r < p; r++) {
                    s -= b[r * k + i] * cb[r * k + j];
                }
                info[i * k + j] = s;
            }
        }
        double[] solved = new double[k];
        int df = choleskySolve(info, d, u, k, solved);
        if (df == 0) {
            return new Column(numeric, levels, null, 0, null);
        }
        double statistic = 0;
        for (int j = 0; j < k; j++) {
            statistic += u[j] * solved[j];
        }
        statistic = Math.max(0, statistic / dispersion);
        return new Column(numeric, levels, statistic, df, ChiSquaredDistribution.of(df).survivalProbability(statistic));
    }

    private static double eta0(DesignMatrix m, int i, FinalStep step, Link link, double[] beta0) {
        return switch (step.solvedAt().kind()) {
            case MUSTART -> link.linkfun(step.family().muStart(m.y(i), m.weight(i)));
            case FITTED -> link.linkfun(link.linkinv(m.dot(i, beta0) + m.offset(i)));
            case COEFFICIENTS -> m.dot(i, beta0) + m.offset(i);
        };
    }

    /**
     * Solves info x = u by a Cholesky factor that skips columns whose pivot falls below {@link #SPANNED} of their
     * weight (their x is 0); returns the number of columns kept.
     */
    private static int choleskySolve(double[] info, double[] weight, double[] u, int k, double[] x) {
        double[] l = new double[k * k];
        boolean[] kept = new boolean[k];
        int rank = 0;
        for (int j = 0; j < k; j++) {
            double s = info[j * k + j];
            for (int t = 0; t < j; t++) {
                if (kept[t]) {
                    s -= l[j * k + t] * l[j * k + t];
                }
            }
            if (!(s > SPANNED * weight[j])) {
                continue;
            }
            kept[j] = true;
            rank++;
            double pivot = Math.sqrt(s);
            l[j * k + j] = pivot;
            for (int i = j + 1; i < k; i++) {
                double v = info[i * k + j];
                for (int t = 0; t < j; t++) {
                    if (kept[t]) {
                        v -= l[i * k + t] * l[j * k + t];
                    }
                }
                l[i * k + j] = v / pivot;
            }
        }
        double[] z = new double[k];
        for (int i = 0; i < k; i++) {
            if (!kept[i]) {
                continue;
            }
            double s = u[i];
            for (int t = 0; t < i; t++) {
                if (kept[t]) {
                    s -= l[i * k + t] * z[t];
                }
            }
            z[i] = s / l[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--) {
            if (!kept[i]) {
                continue;
            }
            double s = z[i];
            for (int t = i + 1; t < k; t++) {
                if (kept[t]) {
                    s -= l[t * k + i] * x[t];
                }
            }
            x[i] = s / l[i * k + i];
        }
        return rank;
    }
}
