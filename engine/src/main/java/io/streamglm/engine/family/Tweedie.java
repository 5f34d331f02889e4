package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.util.List;

/**
 * statmod's {@code tweedie(var.power)}: V(mu) = mu^p with an estimated dispersion and no AIC. streamglm uses the
 * log link by default (statmod's default is the canonical power 1 - p); the other links are power links.
 * Powers between 0 and 1 have no distribution and are rejected.
 */
public final class Tweedie implements Family {
    private static final Names NAMES =
            new Names("tweedie", "Tweedie", "log", List.of("log", "identity", "inverse", "sqrt", "inverse_squared"));

    private final double p;

    public Tweedie(double varPower) {
        if (!Double.isFinite(varPower) || (varPower != 0 && varPower < 1)) {
            throw new IllegalArgumentException("var_power must be 0 or >= 1, got " + varPower);
        }
        this.p = varPower;
    }

    public double varPower() {
        return p;
    }

    @Override public Names names() {
        return NAMES;
    }

    @Override public double variance(double mu) {
        return Math.pow(mu, p);
    }

    @Override public double devResid(double y, double mu, double wt) {
        double y1 = y + (y == 0 ? 0.1 : 0.0);
        double theta = p == 1 ? Math.log(y1 / mu) : (Math.pow(y1, 1 - p) - Math.pow(mu, 1 - p)) / (1 - p);
        double kappa = p == 2 ? Math.log(y1 / mu) : (Math.pow(y, 2 - p) - Math.pow(mu, 2 - p)) / (2 - p);
        return 2.0 * wt * (y * theta - kappa);
    }

    @Override public boolean validMu(double mu) {
        return p == 0 || mu >= 0;
    }

    @Override public double muStart(double y, double wt) {
        return y + (y == 0 ? 0.1 : 0.0);
    }

    @Override public String responseProblem(double y, Link link) {
        if (p >= 2 && y <= 0) {
            return "is <= 0; a tweedie family with var_power >= 2 needs y > 0";
        }
        if (p >= 1 && y < 0) {
            return "is negative; a tweedie family with var_power in [1, 2) needs y >= 0";
        }
        return null;
    }

    @Override public boolean dispersionFixed() {
        return false;
    }

    @Override public boolean hasAic() {
        return false;
    }
}
