package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/** R's {@code gaussian()}. */
public final class Gaussian implements Family {
    public static final Gaussian INSTANCE = new Gaussian();
    private static final Names NAMES =
            new Names("gaussian", "gaussian", "identity", List.of("identity", "log", "inverse"));
    private static final double TWO_PI = 2.0 * Math.PI;

    private Gaussian() {
    }

    @Override public Names names() {
        return NAMES;
    }

    @Override public double variance(double mu) {
        return 1.0;
    }

    @Override public double devResid(double y, double mu, double wt) {
        double r = y - mu;
        return wt * r * r;
    }

    @Override public String responseProblem(double y, Link link) {
        // R's gaussian initialize refuses to start where g(y) is undefined.
        if (link.name().equals("inverse") && y == 0) {
            return "is 0; the gaussian family with inverse link needs y != 0 to start (R: cannot find valid starting values)";
        }
        if (link.name().equals("log") && y <= 0) {
            return "is <= 0; the gaussian family with log link needs y > 0 to start (R: cannot find valid starting values)";
        }
        return null;
    }

    @Override public boolean dispersionFixed() {
        return false;
    }

    @Override public double aicTerm(double y, double mu, double wt, double dev, double sumWeights) {
        return Math.log(wt);
    }

    @Override public double aicFromTerms(double sumLogWeights, long nobs, double dev, double sumWeights) {
        return nobs * (Math.log(dev / nobs * TWO_PI) + 1.0) + 2.0 - sumLogWeights;
    }

    @Override public int extraLogLikParameters() {
        return 1;
    }
}
