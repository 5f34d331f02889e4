package io.streamglm.engine.diagnostics;

import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.fit.FinalStep;
import io.streamglm.engine.link.Link;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * One value per data row, as R computes it from a fitted {@code glm}: {@code fitted}, the linear predictor,
 * {@code residuals.glm} of each type, {@code hatvalues}, {@code cooks.distance}, {@code rstandard} and, for
 * count families, randomized quantile residuals ({@code statmod::qresiduals}, with our own seeded uniforms).
 *
 * <p>Rows with prior weight 0 take no part in R's influence measures ({@code lm.influence} drops them): their
 * {@code hat}, {@code cooksDistance} and {@code stdResidDeviance} are NaN here. Each array has one entry per row.
 *
 * @param residQuantile null when the family has no discrete distribution to randomize (not poisson, binomial
 *                      or negative binomial)
 */
public record RowDiagnostics(double[] fitted, double[] linearPredictor, double[] residResponse,
                             double[] residWorking, double[] residPearson, double[] residDeviance, double[] hat,
                             double[] cooksDistance, double[] stdResidDeviance, double[] residQuantile) {

    /** R forces leverages this close to 1 to exactly 1 ({@code lm.influence}). */
    private static final double TEN_EPS = 10 * Math.ulp(1.0);

    public int rows() {
        return fitted.length;
    }

    /**
     * Computes every row's values in the fit's chunks ({@link InMemoryPasses#CHUNK_ROWS}): each chunk reads its
     * rows once and writes its own slice, so chunks run in parallel and no n x n matrix exists. The leverage of
     * row i is w_i x_i' (X'WX)^-1 x_i with the working weights and inverse of the last IRLS step (R's
     * {@code fit$qr}), aliased columns left out.
     *
     * @param dispersion summary.glm's dispersion (1 for families where it is fixed)
     * @param theta      a negative binomial's final theta ({@code glm.nb}'s {@code fit$theta}) for its quantile
     *                   residuals; ignored for other families
     * @param seed       seeds the uniforms of the quantile residuals; the same seed gives the same values
     *                   whatever the parallelism
     * @param pool       threads, or null for the calling thread
     */
    public static RowDiagnostics compute(DesignMatrix m, FinalStep step, Link link, double dispersion,
                                         double theta, long seed, ForkJoinPool pool) {
        return compute(m, step, link, dispersion, theta, seed, pool, true);
    }

    /**
     * @param inFit false for rows the fit did not see (a holdout): they have no leverage, so {@code hat},
     *              {@code cooksDistance} and {@code stdResidDeviance} are NaN
     */
    public static RowDiagnostics compute(DesignMatrix m, FinalStep step, Link link, double dispersion,
                                         double theta, long seed, ForkJoinPool pool, boolean inFit) {
        int n = m.rows();
        QuantileResiduals quantile = QuantileResiduals.forFamily(step.family(), theta);
        RowDiagnostics out = new RowDiagnostics(new double[n], new double[n], new double[n], new double[n],
                new double[n], new double[n], new double[n], new double[n], new double[n],
                quantile == null ? null : new double[n]);
        int chunks = Math.max(1, (n + InMemoryPasses.CHUNK_ROWS - 1) / InMemoryPasses.CHUNK_ROWS);
        if (pool == null || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                out.fillChunk(m, step, link, dispersion, quantile, seed, c, inFit);
            }
            return out;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int chunk = c;
            tasks.add(pool.submit(() -> out.fillChunk(m, step, link, dispersion, quantile, seed, chunk, inFit)));
        }
        tasks.forEach(ForkJoinTask::join);
        return out;
    }

    private void fillChunk(DesignMatrix m, FinalStep step, Link link, double dispersion, QuantileResiduals quantile,
                           long seed, int chunk, boolean inFit) {
        Family family = step.family();
        int from = chunk * InMemoryPasses.CHUNK_ROWS;
        int len = Math.min(m.rows(), from + InMemoryPasses.CHUNK_ROWS) - from;
        double[] eta = new double[len];
        double[] eta0 = new double[len];
        double[] quad = new double[len];
        m.addLinearPredictor(from, len, step.beta(), eta);
        if (inFit) {
            etaAt(m, from, len, step, link, eta0);
            m.quadraticForms(from, len, step.unscaledCovariance(), quad, new double[len]);
        }
        // One generator per chunk, seeded from (seed, chunk): chunks are fixed, so results do not depend on threads.
        SplittableRandom random = quantile == null ? null : new SplittableRandom(seed * 0x9E3779B97F4A7C15L + chunk);
        double p = step.rank();
        for (int i = 0; i < len; i++) {
            int row = from + i;
            double y = m.y(row);
            double wt = m.weight(row);
            double e = eta[i] + m.offset(row);
            double mu = link.linkinv(e);
            fitted[row] = mu;
            linearPredictor[row] = e;
            double r = y - mu;
            residResponse[row] = r;
            residWorking[row] = r / link.muEta(e, mu);
            double pearson = wt > 0 ? r * Math.sqrt(wt) / Math.sqrt(family.variance(mu)) : 0.0;
            double dev = family.devianceResidual(y, mu, wt);
            residPearson[row] = pearson;
            residDeviance[row] = dev;
            if (wt > 0 && inFit) {
                double mu0 = link.linkinv(eta0[i]);
                double muEta0 = link.muEta(eta0[i], mu0);
                double w0 = wt * muEta0 * muEta0 / family.variance(mu0);
                double h = w0 * quad[i];
                if (h > 1 - TEN_EPS) {
                    h = 1.0;
                }
                hat[row] = h;
                cooksDistance[row] = nanIfInfinite(Math.pow(pearson / (1 - h), 2) * h / (dispersion * p));
                stdResidDeviance[row] = nanIfInfinite(dev / Math.sqrt(dispersion * (1 - h)));
            } else {
                hat[row] = Double.NaN;
                cooksDistance[row] = Double.NaN;
                stdResidDeviance[row] = Double.NaN;
            }
            if (quantile != null) {
                residQuantile[row] = quantile.residual(y, mu, wt, random.nextDouble());
            }
        }
    }

    /** The linear predictor (with offset) of the point the last IRLS step was solved at. */
    private static void etaAt(DesignMatrix m, int from, int len, FinalStep step, Link link, double[] eta0) {
        var point = step.solvedAt();
        switch (point.kind()) {
            case MUSTART -> {
                for (int i = 0; i < len; i++) {
                    eta0[i] = link.linkfun(step.family().muStart(m.y(from + i), m.weight(from + i)));
                }
            }
            case FITTED, COEFFICIENTS -> {
                m.addLinearPredictor(from, len, point.beta(), eta0);
                for (int i = 0; i < len; i++) {
                    eta0[i] += m.offset(from + i);
                    if (point.kind() == Point.Kind.FITTED) {
                        eta0[i] = link.linkfun(link.linkinv(eta0[i]));
                    }
                }
            }
        }
    }

    private static double nanIfInfinite(double v) {
        return Double.isInfinite(v) ? Double.NaN : v;
    }
}
