package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;
import org.apache.commons.numbers.gamma.Digamma;
import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.numbers.gamma.Trigamma;

/**
 * The work of each pass over a range of rows of a {@link DesignMatrix}, written once and used by every executor
 * (in-memory chunks, stream shards). Each method adds rows {@code [from, to)} to the accumulator given: first the
 * per-row scalars (eta, mu, deviance, working weight and response) into a workspace, then the weighted cross
 * products of the whole range column by column.
 */
public final class PassKernels {
    private static final double TEN_EPS = 10 * Math.ulp(1.0);
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private PassKernels() {
    }

    /** Per-thread scratch arrays, grown on demand, so passes do not allocate per chunk. */
    private static final class Workspace {
        double[][] arrays = new double[7][0];

        double[] get(int k, int len) {
            if (arrays[k].length < len) {
                arrays[k] = new double[Math.max(len, 1024)];
            }
            return arrays[k];
        }
    }

    public static void irls(DesignMatrix m, int from, int to, IrlsPass pass, IrlsAccumulator acc) {
        Family family = pass.family();
        Link link = pass.link();
        boolean interceptOnly = pass.interceptOnly();
        int len = to - from;
        Workspace ws = WORKSPACE.get();
        double[] eta = ws.get(0, len);
        double[] w = ws.get(1, len);
        double[] z = ws.get(2, len);
        linearPredictors(m, from, len, pass.point(), interceptOnly, family, link, eta);
        for (int i = 0; i < len; i++) {
            int row = from + i;
            double y = m.y(row);
            double wt = m.weight(row);
            double off = m.offset(row);
            double e = eta[i];
            double mu = link.linkinv(e);
            if (!(link.validEta(e) && family.validMu(mu))) {
                acc.addInvalidRow();
            }
            acc.addObservation(y, wt, family.devResid(y, mu, wt));
            w[i] = 0;
            z[i] = 0;
            if (wt > 0) {
                double variance = family.variance(mu);
                if (Double.isNaN(variance) || variance == 0) {
                    acc.addBadVarianceRow();
                    continue;
                }
                double muEta = link.muEta(e, mu);
                if (muEta != 0) {
                    z[i] = (e - off) + (y - mu) / muEta;
                    w[i] = wt * muEta * muEta / variance;
                }
            }
        }
        if (interceptOnly) {
            for (int i = 0; i < len; i++) {
                if (w[i] > 0) {
                    acc.addIntercept(w[i], z[i]);
                }
            }
        } else {
            acc.addRows(m, from, len, w, z, ws.get(3, len));
        }
    }

    public static void inference(DesignMatrix m, int from, int to, InferencePass pass, InferenceAccumulator acc) {
        Family family = pass.family();
        Link link = pass.link();
        boolean aic = family.hasAic();
        boolean binomial = family.name().equals("binomial");
        boolean poisson = family.name().equals("poisson");
        int len = to - from;
        Workspace ws = WORKSPACE.get();
        double[] eta = ws.get(0, len);
        double[] eta0 = ws.get(1, len);
        double[] wres = ws.get(2, len);
        double[] hat = ws.get(3, len);
        linearPredictors(m, from, len, Point.coefficients(pass.beta()), false, family, link, eta);
        linearPredictors(m, from, len, pass.solvedAt(), false, family, link, eta0);
        m.quadraticForms(from, len, pass.covUnscaled(), hat, ws.get(4, len));
        for (int i = 0; i < len; i++) {
            int row = from + i;
            double y = m.y(row);
            double wt = m.weight(row);
            double off = m.offset(row);
            double mu = link.linkinv(eta[i]);
            if (binomial && mu > 1 - TEN_EPS) {
                acc.addMuNearOne();
            }
            if ((binomial || poisson) && mu < TEN_EPS) {
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
            double h = 0;
            double wr = 0;
            if (wt > 0) {
                double mu0 = link.linkinv(eta0[i]);
                double muEta0 = link.muEta(eta0[i], mu0);
                double w0 = wt * muEta0 * muEta0 / family.variance(mu0);
                if (muEta0 != 0 && w0 > 0) {
                    double workingResidual = (y - mu) / link.muEta(eta[i], mu);
                    dispersionTerm = w0 * workingResidual * workingResidual;
                    h = w0 * hat[i];
                    if (h > 1 - TEN_EPS) {
                        h = 1.0; // as lm.influence
                    }
                    wr = workingResidual * w0;
                }
            }
            hat[i] = h;
            wres[i] = wr;
            acc.addRow(wt > 0, pearsonTerm, dispersionTerm, aicTerm, nullDev);
        }
        acc.addMeats(m, from, len, wres, hat, ws.get(4, len), ws.get(5, len), ws.get(6, len));
    }

    public static void theta(DesignMatrix m, int from, int to, ThetaPass pass, ScalarSums acc) {
        Link link = pass.link();
        double th = pass.theta();
        int len = to - from;
        double[] eta = WORKSPACE.get().get(0, len);
        java.util.Arrays.fill(eta, 0, len, 0.0);
        m.addLinearPredictor(from, len, pass.beta(), eta);
        for (int i = 0; i < len; i++) {
            int row = from + i;
            double y = m.y(row);
            double w = m.weight(row);
            double mu = link.linkinv(eta[i] + m.offset(row));
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

    /** Fills {@code eta[0 .. len)} for rows [from, from + len) as the point says. */
    private static void linearPredictors(DesignMatrix m, int from, int len, Point point, boolean interceptOnly,
                                         Family family, Link link, double[] eta) {
        switch (point.kind()) {
            case MUSTART -> {
                for (int i = 0; i < len; i++) {
                    eta[i] = link.linkfun(family.muStart(m.y(from + i), m.weight(from + i)));
                }
            }
            case FITTED -> {
                java.util.Arrays.fill(eta, 0, len, 0.0);
                m.addLinearPredictor(from, len, point.beta(), eta);
                for (int i = 0; i < len; i++) {
                    eta[i] = link.linkfun(link.linkinv(eta[i] + m.offset(from + i)));
                }
            }
            case COEFFICIENTS -> {
                if (interceptOnly) {
                    double b0 = point.beta()[0];
                    for (int i = 0; i < len; i++) {
                        eta[i] = b0 + m.offset(from + i);
                    }
                } else {
                    java.util.Arrays.fill(eta, 0, len, 0.0);
                    m.addLinearPredictor(from, len, point.beta(), eta);
                    for (int i = 0; i < len; i++) {
                        eta[i] += m.offset(from + i);
                    }
                }
            }
        }
    }
}
