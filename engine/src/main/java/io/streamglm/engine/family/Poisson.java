package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/** R's {@code poisson()}; {@link QuasiFamily#POISSON} uses its variance, deviance and means. */
public final class Poisson implements Family {
    public static final Poisson INSTANCE = new Poisson();
    private static final Names NAMES = new Names("poisson", "poisson", "log", List.of("log", "identity", "sqrt"));

    private Poisson() {
    }

    @Override public Names names() {
        return NAMES;
    }

    @Override public double variance(double mu) {
        return mu;
    }

    @Override public double devResid(double y, double mu, double wt) {
        double r = y > 0 ? wt * (y * Math.log(y / mu) - (y - mu)) : mu * wt;
        return 2.0 * r;
    }

    @Override public boolean validMu(double mu) {
        return Family.positiveFiniteMean(mu);
    }

    @Override public double muStart(double y, double wt) {
        return y + 0.1;
    }

    @Override public String responseProblem(double y, Link link) {
        return negativeCount(y, name());
    }

    /** What is wrong with a count of the named family: null unless it is negative. */
    static String negativeCount(double y, String family) {
        return y < 0 ? "is negative; " + family + " counts must be >= 0" : null;
    }

    @Override public boolean dispersionFixed() {
        return true;
    }

    @Override public double aicTerm(double y, double mu, double wt, double dev, double sumWeights) {
        return wt == 0 ? 0.0 : -2.0 * Densities.dpoisLog(y, mu) * wt;
    }

    @Override public double aicFromTerms(double sumTerms, long nobs, double dev, double sumWeights) {
        return sumTerms;
    }
}
