package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/**
 * R's {@code binomial()} with a single response column: 0/1 outcomes, or proportions of successes whose prior
 * weights are the numbers of trials. {@link QuasiFamily#BINOMIAL} uses its variance, deviance and means.
 */
public final class Binomial implements Family {
    public static final Binomial INSTANCE = new Binomial();
    private static final Names NAMES =
            new Names("binomial", "binomial", "logit", List.of("logit", "probit", "cloglog", "log"));

    private Binomial() {
    }

    @Override public Names names() {
        return NAMES;
    }

    @Override public double variance(double mu) {
        return mu * (1.0 - mu);
    }

    @Override public double devResid(double y, double mu, double wt) {
        // R's C binomial_dev_resids
        return 2.0 * wt * (yLogY(y, mu) + yLogY(1.0 - y, 1.0 - mu));
    }

    private static double yLogY(double y, double mu) {
        return y != 0.0 ? y * Math.log(y / mu) : 0.0;
    }

    @Override public boolean validMu(double mu) {
        return Family.positiveFiniteMean(mu) && mu < 1;
    }

    /** R's {@code binomInitialize}; y has already been set to 0 where the weight is 0, as R does. */
    @Override public double muStart(double y, double wt) {
        return (wt * y + 0.5) / (wt + 1.0);
    }

    @Override public String responseProblem(double y, Link link) {
        return (y < 0 || y > 1) ? "is outside [0, 1]; binomial responses are 0/1 or proportions of trials" : null;
    }

    @Override public boolean dispersionFixed() {
        return true;
    }

    @Override public double aicTerm(double y, double mu, double wt, double dev, double sumWeights) {
        // R: m <- wt for a one-column response; -2 * sum(ifelse(m > 0, wt/m, 0) * dbinom(round(m*y), round(m), mu, log))
        if (wt <= 0) {
            return 0.0;
        }
        return -2.0 * Densities.dbinomLog(Math.rint(wt * y), Math.rint(wt), mu);
    }

    @Override public double aicFromTerms(double sumTerms, long nobs, double dev, double sumWeights) {
        return sumTerms;
    }
}
