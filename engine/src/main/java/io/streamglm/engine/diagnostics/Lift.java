package io.streamglm.engine.diagnostics;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Family;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

import java.util.ArrayList;
import java.util.List;

/**
 * How well the model orders risks: the normalised Gini, calibration and lift by decile of prediction and, for
 * binomial fits, the Hosmer-Lemeshow test.
 *
 * <p>Rows are ordered by their prediction without offset, x'beta (for a log-link count model with exposure, the
 * log of the predicted rate), and weighted by their exposure weight e = prior weight x exposure (prior weight
 * alone without an exposure column, so for a binomial the number of trials). Deciles hold equal exposure weight:
 * a row goes to the decile of its exposure midpoint. Gini is 2 x the area under the Lorenz curve of actual
 * (prior weight x y) against exposure, rows taken from the highest prediction down, minus 1, with tied
 * predictions taken as one step; normalised by the Gini of ordering by the actual rate itself.
 *
 * @param deciles         ten deciles of prediction, lowest first (empty ones left out)
 * @param hosmerLemeshow  null unless binomial
 */
public record Lift(double gini, double giniNormalised, List<Decile> deciles, HosmerLemeshow hosmerLemeshow) {
    public static final int DECILES = 10;

    /**
     * @param ratio  actual / expected (calibration), with the interval of {@link ActualExpected}
     * @param lift   the decile's actual rate (actual / exposure) over the overall actual rate
     */
    public record Decile(int decile, long rows, double exposure, double actual, double expected, double ratio,
                         double ciLower, double ciUpper, double lift) {
    }

    /** Hosmer and Lemeshow's statistic over the deciles, with groups - 2 degrees of freedom. */
    public record HosmerLemeshow(double statistic, int df, double pValue) {
    }

    public Lift {
        deciles = List.copyOf(deciles);
    }

    /**
     * @param fitted     fitted means
     * @param beta       the linear predictor's coefficients, aliased ones 0: rows are ordered by x'beta
     *                   ({@link #scores}), so rows with the same covariates tie exactly whatever their offsets
     * @param exposure   each row's exposure (the spec's exposure column), or null for 1
     * @param dispersion summary.glm's dispersion
     */
    public static Lift compute(DesignMatrix m, Family family, double[] fitted, double[] beta,
                               double[] exposure, double dispersion) {
        int n = m.rows();
        double[] score = scores(m, 0, n, beta);
        Weights w = Weights.of(m, 0, n, exposure);
        double[] e = w.exposure();
        double[] a = w.actual();
        double totalE = w.totalExposure();
        double totalA = w.totalActual();
        int[] order = ArgSort.ascending(score);

        GroupSums sums = new GroupSums(DECILES);
        double[] exposureSum = new double[DECILES];
        double before = 0;
        for (int i : order) {
            int d = (int) Math.min(DECILES - 1, Math.floor(DECILES * (before + e[i] / 2) / totalE));
            before += e[i];
            exposureSum[d] += e[i];
            sums.add(d, m.weight(i), m.y(i), fitted[i], family.variance(fitted[i]));
        }
        List<String> labels = new ArrayList<>();
        for (int d = 1; d <= DECILES; d++) {
            labels.add(Integer.toString(d));
        }
        List<ActualExpected.Level> levels = sums.levels(labels, dispersion);
        double overallRate = totalA / totalE;
        List<Decile> deciles = new ArrayList<>();
        double hl = 0;
        int groups = 0;
        for (int d = 0; d < DECILES; d++) {
            if (sums.rows[d] == 0) {
                continue;
            }
            ActualExpected.Level l = levels.get(d);
            deciles.add(new Decile(d + 1, l.rows(), exposureSum[d], l.actual(), l.expected(), l.ratio(), l.ciLower(),
                    l.ciUpper(), l.actual() / exposureSum[d] / overallRate));
            if (exposureSum[d] > 0) {
                double diff = l.actual() - l.expected();
                hl += diff * diff / (l.expected() * (1 - l.expected() / exposureSum[d]));
                groups++;
            }
        }
        HosmerLemeshow hosmer = null;
        if (family.name().equals("binomial") && groups > 2) {
            hosmer = new HosmerLemeshow(hl, groups - 2, ChiSquaredDistribution.of(groups - 2).survivalProbability(hl));
        }
        // the deciles' order: one sort of the scores
        double gini = GiniSteps.of(score, order, e, a).gini(totalE, totalA);
        double best = gini(w.actualRates(), e, a, totalE, totalA);
        return new Lift(gini, gini / best, deciles, hosmer);
    }

    /**
     * What the Gini weighs rows by, for rows {@code from} to {@code to} of a matrix (at index {@code i - from}):
     * exposure weight e = prior weight x exposure (prior weight alone without an exposure), actual a = prior
     * weight x y, and their totals summed in row order.
     */
    record Weights(double[] exposure, double[] actual, double totalExposure, double totalActual) {
        static Weights of(DesignMatrix m, int from, int to, double[] rowExposure) {
            int n = to - from;
            double[] e = new double[n];
            double[] a = new double[n];
            double totalE = 0;
            double totalA = 0;
            for (int i = 0; i < n; i++) {
                e[i] = m.weight(from + i) * (rowExposure == null ? 1.0 : rowExposure[i]);
                a[i] = m.weight(from + i) * m.y(from + i);
                totalE += e[i];
                totalA += a[i];
            }
            return new Weights(e, a, totalE, totalA);
        }

        /** Each row's actual rate a / e (0 where e is 0): the order of the best Gini, which normalises it. */
        double[] actualRates() {
            double[] rate = new double[exposure.length];
            for (int i = 0; i < rate.length; i++) {
                rate[i] = exposure[i] > 0 ? actual[i] / exposure[i] : 0.0;
            }
            return rate;
        }
    }

    /**
     * Each row's x'beta, the linear predictor without its offset (for a log-link count model with exposure, the log
     * of the predicted rate): what rows are ordered by. Taken as {@link DesignMatrix#dot}, one row at a time, by
     * the batch diagnostics and the stream summary alike, so both see the same ties.
     */
    static double[] scores(DesignMatrix m, int from, int to, double[] beta) {
        double[] score = new double[to - from];
        for (int i = from; i < to; i++) {
            score[i - from] = m.dot(i, beta);
        }
        return score;
    }

    /** 2 x area under the Lorenz curve (highest score first, ties as one step) - 1. */
    static double gini(double[] score, double[] e, double[] a, double totalE, double totalA) {
        return GiniSteps.of(score, e, a).gini(totalE, totalA);
    }
}
