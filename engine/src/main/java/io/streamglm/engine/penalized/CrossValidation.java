package io.streamglm.engine.penalized;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.diagnostics.ArgSort;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;

/**
 * cv.glmnet: one path per fold on the other folds' rows (each with its own lambda sequence and standardization
 * unless the lambdas are given), predictions of the held-out rows at the full data's lambdas by glmnet's linear
 * interpolation along the fold's path, each held-out row's loss (cv.elnet, cv.lognet, cv.fishnet or cv.glmnetfit:
 * the deviance, squared or absolute error of the mean, for lognet the misclassification), then {@code
 * cvcompute}/{@code cvstats}: per fold a weighted mean, across folds a mean weighted by the folds' weight sums, and
 * its standard error. The AUC is one value per fold (cv.lognet's {@code auc.mat}, survival's weighted
 * concordance), averaged over the folds with their weight sums, and lambda_min maximizes it.
 */
public final class CrossValidation {
    /** cv.lognet keeps probabilities in [1e-5, 1 - 1e-5] for the deviance. */
    private static final double PROB_MIN = 1e-5;

    private CrossValidation() {
    }

    /** Where a fold's training problem and its held-out rows' linear predictors come from. */
    interface FoldData {
        Fold open(int[] trainRows, int[] heldRows);
    }

    /** One fold: the training rows' problem, and the linear predictor (offset included) of held-out row h. */
    interface Fold {
        GlmnetProblem training();

        /** @param coef coefficients in design order (the intercept first when there is one) */
        double eta(int h, double[] coef);
    }

    /** Every fold cut from the one design matrix, as cv.glmnet cuts its model matrix. */
    static FoldData shared(DesignMatrix m, boolean intercept, boolean standardize) {
        return (train, held) -> new Fold() {
            @Override public GlmnetProblem training() {
                return GlmnetProblem.of(m, train, intercept, standardize);
            }

            @Override public double eta(int h, double[] coef) {
                return m.dot(held[h], coef) + m.offset(held[h]);
            }
        };
    }

    /**
     * @param m      the rows (response, prior weights and offsets of the held-out rows)
     * @param foldId fold of each row of {@code m}, 1..folds
     */
    static CvResult run(DesignMatrix m, FoldData foldData, int[] foldId, int folds, boolean intercept,
                        Family family, Link link, GlmnetPath.Options options, PathFit full, String measure) {
        int n = m.rows();
        if (measure.equals("auc") && (double) n / folds < 10) {
            measure = "deviance"; // cv.lognet: too few (< 10) rows per fold for the AUC
        }
        boolean auc = measure.equals("auc");
        int nl = full.size();
        double[] foldMean = new double[folds * nl];
        double[] foldWeight = new double[folds];
        double[] rowLoss = new double[n * nl];
        double[] coef = new double[m.columns()];
        double[] interpolated = new double[1 + full.beta()[0].length];
        GlmnetPath.Flavour flavour = GlmnetPath.flavour(family, link);
        int[][] heldRows = new int[folds][]; // each fold's held-out rows, in row order
        for (int k = 1; k <= folds; k++) {
            int train = 0;
            for (int f : foldId) {
                train += f != k ? 1 : 0;
            }
            int[] rows = new int[train];
            int[] held = new int[n - train];
            for (int i = 0, t = 0, h = 0; i < n; i++) {
                if (foldId[i] != k) {
                    rows[t++] = i;
                } else {
                    held[h++] = i;
                }
            }
            heldRows[k - 1] = held;
            Fold fold = foldData.open(rows, held);
            PathFit fit = GlmnetPath.fit(fold.training(), family, link, options);
            for (int l = 0; l < nl; l++) {
                if (fit.size() == 0) {
                    // the fold's path stopped at glmnet's maxit before its first fit: no predictions
                    for (int i : held) {
                        rowLoss[i * nl + l] = Double.NaN;
                    }
                    continue;
                }
                fit.interpolate(full.lambda()[l], interpolated);
                int first = intercept ? 1 : 0;
                if (intercept) {
                    coef[0] = interpolated[0];
                }
                System.arraycopy(interpolated, 1, coef, first, interpolated.length - 1);
                for (int h = 0; h < held.length; h++) {
                    int i = held[h];
                    double eta = fold.eta(h, coef);
                    // for the AUC the row's probability, of which each fold's concordance is taken below
                    rowLoss[i * nl + l] = auc ? 1 / (1 + Math.exp(-eta))
                            : loss(measure, flavour, family, link, m.y(i), eta);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            foldWeight[foldId[i] - 1] += m.weight(i);
        }
        int nonEmpty = 0;
        for (double fw : foldWeight) {
            nonEmpty += fw > 0 ? 1 : 0;
        }
        double[] cvm = new double[nl];
        double[] cvsd = new double[nl];
        boolean grouped = (double) n / folds >= 3;
        for (int l = 0; l < nl; l++) {
            if (auc) {
                foldAuc(m, heldRows, rowLoss, nl, l, foldWeight, cvm, cvsd);
            } else if (grouped) {
                double[] wsum = new double[folds];
                for (int i = 0; i < n; i++) {
                    double loss = rowLoss[i * nl + l];
                    if (Double.isFinite(loss)) {
                        foldMean[(foldId[i] - 1) * nl + l] += m.weight(i) * loss;
                        wsum[foldId[i] - 1] += m.weight(i);
                    }
                }
                double s = 0;
                double sw = 0;
                for (int k = 0; k < folds; k++) {
                    foldMean[k * nl + l] /= wsum[k];
                    if (foldWeight[k] > 0 && Double.isFinite(foldMean[k * nl + l])) {
                        s += foldWeight[k] * foldMean[k * nl + l];
                        sw += foldWeight[k];
                    }
                }
                cvm[l] = s / sw;
                double ss = 0;
                for (int k = 0; k < folds; k++) {
                    double dk = foldMean[k * nl + l] - cvm[l];
                    if (foldWeight[k] > 0 && Double.isFinite(dk)) {
                        ss += foldWeight[k] * dk * dk;
                    }
                }
                cvsd[l] = Math.sqrt(ss / sw / (nonEmpty - 1));
            } else {
                // cv.glmnet with fewer than 3 rows per fold: grouped = FALSE, the rows' losses themselves.
                double s = 0;
                double sw = 0;
                for (int i = 0; i < n; i++) {
                    s += m.weight(i) * rowLoss[i * nl + l];
                    sw += m.weight(i);
                }
                cvm[l] = s / sw;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    double d = rowLoss[i * nl + l] - cvm[l];
                    ss += m.weight(i) * d * d;
                }
                cvsd[l] = Math.sqrt(ss / sw / (n - 1));
            }
        }
        // getOptcv.glmnet, on -cvm for the AUC (larger is better)
        double sign = auc ? -1 : 1;
        double min = Double.POSITIVE_INFINITY;
        for (double c : cvm) {
            min = Math.min(min, sign * c);
        }
        int iMin = -1;
        for (int l = 0; l < nl; l++) {
            if (sign * cvm[l] <= min && (iMin < 0 || full.lambda()[l] > full.lambda()[iMin])) {
                iMin = l;
            }
        }
        double bound = sign * cvm[iMin] + cvsd[iMin];
        int i1se = -1;
        for (int l = 0; l < nl; l++) {
            if (sign * cvm[l] <= bound && (i1se < 0 || full.lambda()[l] > full.lambda()[i1se])) {
                i1se = l;
            }
        }
        return new CvResult(measure, full.lambda().clone(), cvm, cvsd, full.lambda()[iMin], full.lambda()[i1se],
                iMin, i1se, folds);
    }

    /**
     * cv.lognet's AUC at lambda {@code l}: per fold {@code auc.mat} of its rows' probabilities (a row of response
     * y and weight w is a negative of weight w(1 - y) and a positive of weight w y), then cvstats over the folds
     * (grouped = FALSE, the folds' weight sums as weights, N the number of folds).
     */
    private static void foldAuc(DesignMatrix m, int[][] heldRows, double[] prob, int nl, int l,
                                double[] foldWeight, double[] cvm, double[] cvsd) {
        int folds = heldRows.length;
        double[] value = new double[folds];
        for (int k = 0; k < folds; k++) {
            int[] held = heldRows[k];
            double[] p = new double[held.length];
            double[] negative = new double[held.length];
            double[] positive = new double[held.length];
            for (int h = 0; h < held.length; h++) {
                int i = held[h];
                p[h] = prob[i * nl + l];
                negative[h] = m.weight(i) * (1 - m.y(i));
                positive[h] = m.weight(i) * m.y(i);
            }
            value[k] = concordance(p, negative, positive);
        }
        double s = 0;
        double sw = 0;
        int good = 0;
        for (int k = 0; k < folds; k++) {
            if (Double.isFinite(value[k])) {
                s += foldWeight[k] * value[k];
                sw += foldWeight[k];
                good++;
            }
        }
        cvm[l] = s / sw;
        double ss = 0;
        for (int k = 0; k < folds; k++) {
            if (Double.isFinite(value[k])) {
                double d = value[k] - cvm[l];
                ss += foldWeight[k] * d * d;
            }
        }
        cvsd[l] = Math.sqrt(ss / sw / (good - 1));
    }

    /**
     * survival's weighted concordance of a binary outcome with a score, as {@code auc} calls it: over every pair of
     * a negative and a positive, weighted by the product of their weights, the share where the positive scores
     * higher, ties counting one half. NaN when there is no pair.
     */
    static double concordance(double[] score, double[] negative, double[] positive) {
        int[] order = ArgSort.ascending(score);
        double below = 0; // negative weight of the scores below the current one
        double concordant = 0;
        double tied = 0;
        double pairs = 0;
        double totalNegative = 0;
        for (double w : negative) {
            totalNegative += w;
        }
        int k = 0;
        while (k < order.length) {
            double s = score[order[k]];
            double neg = 0;
            double pos = 0;
            while (k < order.length && score[order[k]] == s) {
                neg += negative[order[k]];
                pos += positive[order[k]];
                k++;
            }
            concordant += pos * below;
            tied += pos * neg;
            below += neg;
        }
        for (double w : positive) {
            pairs += w * totalNegative;
        }
        return pairs > 0 ? (concordant + tied / 2) / pairs : Double.NaN;
    }

    /**
     * The held-out row's loss as cv.elnet, cv.lognet, cv.fishnet or cv.glmnetfit computes it (weight 1): {@code
     * mse} and {@code mae} of the mean (for lognet of both columns of its two-column response, (1 - y, y) against
     * (1 - p, p)), lognet's {@code class}, or the deviance.
     */
    private static double loss(String measure, GlmnetPath.Flavour flavour, Family family, Link link, double y,
                               double eta) {
        if (flavour == GlmnetPath.Flavour.LOGNET && !measure.equals("deviance")) {
            double p = 1 / (1 + Math.exp(-eta));
            return switch (measure) {
                case "mse" -> (1 - y - (1 - p)) * (1 - y - (1 - p)) + (y - p) * (y - p);
                case "mae" -> Math.abs(1 - y - (1 - p)) + Math.abs(y - p);
                default -> (1 - y) * (p > 0.5 ? 1 : 0) + y * (p <= 0.5 ? 1 : 0); // class
            };
        }
        if (measure.equals("mse") || measure.equals("mae")) {
            double mu = switch (flavour) {
                case ELNET -> eta;
                case FISHNET -> Math.exp(eta);
                default -> link.linkinv(eta);
            };
            return measure.equals("mse") ? (y - mu) * (y - mu) : Math.abs(y - mu);
        }
        switch (flavour) {
            case ELNET:
                return (y - eta) * (y - eta);
            case LOGNET: {
                double q = Math.min(Math.max(1 / (1 + Math.exp(-eta)), PROB_MIN), 1 - PROB_MIN);
                double lp = (1 - y) * Math.log(1 - q) + y * Math.log(q);
                double ly = (y > 0 ? y * Math.log(y) : 0) + (y < 1 ? (1 - y) * Math.log(1 - y) : 0);
                return 2 * (ly - lp);
            }
            case FISHNET: {
                double devy = y > 0 ? y * Math.log(y) - y : 0;
                return 2 * (devy - (y * eta - Math.exp(eta)));
            }
            default:
                return family.devResid(y, link.linkinv(eta), 1.0);
        }
    }
}
