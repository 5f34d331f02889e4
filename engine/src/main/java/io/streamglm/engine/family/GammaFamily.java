package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/** R's {@code Gamma()}. */
public final class GammaFamily implements Family {
    public static final GammaFamily INSTANCE = new GammaFamily();
    private static final Names NAMES = new Names("gamma", "Gamma", "inverse", List.of("inverse", "log", "identity"));

    private GammaFamily() {
    }

    @Override public Names names() {
        return NAMES;
    }

    @Override public double variance(double mu) {
        return mu * mu;
    }

    @Override public double devResid(double y, double mu, double wt) {
        return -2.0 * wt * (Math.log(y == 0 ? 1.0 : y / mu) - (y - mu) / mu);
    }

    @Override public boolean validMu(double mu) {
        return Family.positiveFiniteMean(mu);
    }

    @Override public String responseProblem(double y, Link link) {
        return y <= 0 ? "is <= 0; the gamma family needs y > 0" : null;
    }

    @Override public boolean dispersionFixed() {
        return false;
    }

    @Override public double aicTerm(double y, double mu, double wt, double dev, double sumWeights) {
        double disp = dev / sumWeights;
        return wt == 0 ? 0.0 : -2.0 * Densities.dgammaLog(y, 1.0 / disp, mu * disp) * wt;
    }

    @Override public double aicFromTerms(double sumTerms, long nobs, double dev, double sumWeights) {
        return sumTerms + 2.0;
    }

    @Override public int extraLogLikParameters() {
        return 1;
    }
}
