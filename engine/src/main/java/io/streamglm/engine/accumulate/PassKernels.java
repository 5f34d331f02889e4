package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;
import org.apache.commons.numbers.gamma.Digamma;
import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.numbers.gamma.Trigamma;

/**
 * The per-row work of each pass over a range of rows of a {@link DesignMatrix}, written once and used by every
 * executor (in-memory chunks, stream shards). Each method adds rows {@code [from, to)} to the accumulator given.
 */
public final class PassKernels {
    private static final double TEN_EPS = 10 * Math.ulp(1.0);
    private static final int[] INTERCEPT_IDX = {0};
    private static final double[] INTERCEPT_VAL = {1.0};

    private PassKernels() {
    }

    public static void irls(DesignMatrix m, int from, int to, IrlsPass pass, IrlsAccumulator acc) {
        Family family = pass.family();
        Link link = pass.link();
        Point point = pass.point();
        boolean interceptOnly = pass.interceptOnly();
        int[] idx = m.indices();
        double[] val = m.values();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        for (int i = from; i < to; i++) {
            double y = m.y(i);
            double wt = m.weight(i);
            double off = m.offset(i);
            double eta = eta(m, i, point, interceptOnly, family, link, y, wt, off);
            double mu = link.linkinv(eta);
            if (!(link.validEta(eta) && family.validMu(mu))) {
                acc.addInvalidRow();
            }
            acc.addObservation(y, wt, family.devResid(y, mu, wt));
            if (wt > 0) {
                double variance = family.variance(mu);
                if (Double.isNaN(variance) || variance == 0) {
                    acc.addBadVarianceRow();
                    continue;
                }
                double muEta = link.muEta(eta);
                if (muEta != 0) {
                    double z = (eta - off) + (y - mu) / muEta;
                    double w = wt * muEta * muEta / variance;
                    if (interceptOnly) {
                        acc.addWeighted(INTERCEPT_IDX, INTERCEPT_VAL, 0, 1, w, z);
                    } else {
                        acc.addWeighted(idx, val, i * stride, nnz[i], w, z);
                    }
                }
            }
        }
    }

    public static void inference(DesignMatrix m, int from, int to, InferencePass pass, InferenceAccumulator acc) {
        Family family = pass.family();
        Link link = pass.link();
        double[] beta = pass.beta();
        double[] cov = pass.covUnscaled();
        int p = m.columns();
        boolean aic = family.hasAic();
        boolean binomialLike = family.name().equals("binomial");
        boolean poisson = family.name().equals("poisson");
        int[] idx = m.indices();
        double[] val = m.values();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        for (int i = from; i < to; i++) {
            double y = m.y(i);
            double wt = m.weight(i);
            double off = m.offset(i);
            double eta = m.dot(i, beta) + off;
            double mu = link.linkinv(eta);
            if (binomialLike && mu > 1 - TEN_EPS) {
                acc.addMuNearOne();
            }
            if ((binomialLike || poisson) && mu < TEN_EPS) {
                acc.addMuNearZero();
            }
            double pearsonTerm = 0;
            if (wt > 0) {
                double r = y - mu;
                pearsonTerm = wt * r * r / family.variance(mu);
            }
            double aicTerm = aic ? family.aicTerm(y, mu, wt, pass.deviance(), pass.sumWeights()) : 0.0;
            double nullMu = pass.nullMean() != null ? pass.nullMean() : link.linkinv(off);
            double nullDev = family.devResid(y, nullMu, wt);
            double dispersionTerm = 0;
            if (wt > 0) {
                double eta0 = eta(m, i, pass.solvedAt(), false, family, link, y, wt, off);
                double mu0 = link.linkinv(eta0);
                double muEta0 = link.muEta(eta0);
                double w0 = wt * muEta0 * muEta0 / family.variance(mu0);
                if (muEta0 != 0 && w0 > 0) {
                    double workingResidual = (y - mu) / link.muEta(eta);
                    dispersionTerm = w0 * workingResidual * workingResidual;
                    int base = i * stride;
                    double hat = w0 * PackedUpper.quadraticForm(cov, p, idx, val, base, nnz[i]);
                    if (hat > 1 - TEN_EPS) {
                        hat = 1.0; // as lm.influence
                    }
                    acc.addMeat(idx, val, base, nnz[i], workingResidual * w0, hat);
                }
            }
            acc.addRow(wt > 0, pearsonTerm, dispersionTerm, aicTerm, nullDev);
        }
    }

    public static void theta(DesignMatrix m, int from, int to, ThetaPass pass, ScalarSums acc) {
        Link link = pass.link();
        double[] beta = pass.beta();
        double th = pass.theta();
        for (int i = from; i < to; i++) {
            double y = m.y(i);
            double w = m.weight(i);
            double mu = link.linkinv(m.dot(i, beta) + m.offset(i));
            acc.countRow();
            switch (pass.kind()) {
                case MOMENT -> {
                    double r = y / mu - 1.0;
                    acc.add(0, w * r * r);
                }
                case SCORE_INFO -> {
                    acc.add(0, w * (Digamma.value(th + y) - Digamma.value(th) + Math.log(th) + 1
                            - Math.log(th + mu) - (y + th) / (mu + th)));
                    acc.add(1, w * (-Trigamma.value(th + y) + Trigamma.value(th) - 1 / th + 2 / (mu + th)
                            - (y + th) / ((mu + th) * (mu + th))));
                }
                case LOG_LIKELIHOOD -> acc.add(0, w * (LogGamma.value(th + y) - LogGamma.value(th)
                        - LogGamma.value(y + 1) + th * Math.log(th) + y * Math.log(mu + (y == 0 ? 1 : 0))
                        - (th + y) * Math.log(th + mu)));
            }
        }
    }

    private static double eta(DesignMatrix m, int i, Point point, boolean interceptOnly, Family family, Link link,
                              double y, double wt, double off) {
        return switch (point.kind()) {
            case MUSTART -> link.linkfun(family.muStart(y, wt));
            case FITTED -> link.linkfun(link.linkinv(m.dot(i, point.beta()) + off));
            case COEFFICIENTS -> (interceptOnly ? point.beta()[0] : m.dot(i, point.beta())) + off;
        };
    }
}
