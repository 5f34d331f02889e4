package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/** R's {@code inverse.gaussian()}. */
public final class InverseGaussian implements Family {
    public static final InverseGaussian INSTANCE = new InverseGaussian();
    private static final Names NAMES =
            new Names("inverse_gaussian", "inverse.gaussian", "inverse_squared",
                    List.of("inverse_squared", "inverse", "log", "identity"));
    private static final double TWO_PI = 2.0 * Math.PI;

    private InverseGaussian() {
    }

    @Override public Names names() {
        return NAMES;
    }

    @Override public double variance(double mu) {
        return mu * mu * mu;
    }

    @Override public double devResid(double y, double mu, double wt) {
        double r = y - mu;
        return wt * r * r / (y * mu * mu);
    }

    @Override public String responseProblem(double y, Link link) {
        return y <= 0 ? "is <= 0; the inverse_gaussian family needs y > 0" : null;
    }

    @Override public boolean dispersionFixed() {
        return false;
    }

    @Override public double aicTerm(double y, double mu, double wt, double dev, double sumWeights) {
        return wt == 0 ? 0.0 : Math.log(y) * wt;
    }

    @Override public double aicFromTerms(double sumWeightedLogY, long nobs, double dev, double sumWeights) {
        return sumWeights * (1.0 + Math.log(dev / sumWeights * TWO_PI)) + 3.0 * sumWeightedLogY + 2.0;
    }

    @Override public int extraLogLikParameters() {
        return 1;
    }
}
