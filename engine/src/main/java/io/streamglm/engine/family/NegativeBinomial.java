package io.streamglm.engine.family;

import io.streamglm.engine.link.Link;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import org.apache.commons.numbers.gamma.LogGamma;

/**
 * MASS's {@code negative.binomial(theta)}: V(mu) = mu + mu^2 / theta. The dispersion is fixed at one, as
 * {@code summary.negbin}; when theta is estimated the fitter alternates IRLS with {@code theta.ml} as
 * {@code glm.nb} and builds a new instance per theta.
 */
public final class NegativeBinomial implements Family {
    private final double theta;
    private final Names names;

    public NegativeBinomial(double theta) {
        if (!(theta > 0) || !Double.isFinite(theta)) {
            throw new IllegalArgumentException("theta must be positive and finite, got " + theta);
        }
        this.theta = theta;
        // R: paste("Negative Binomial(", format(round(theta, 4)), ")")
        BigDecimal rounded = BigDecimal.valueOf(theta).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        this.names = new Names("negbinomial", "Negative Binomial(" + rounded.toPlainString() + ")", "log",
                List.of("log", "sqrt", "identity"));
    }

    public double theta() {
        return theta;
    }

    @Override public Names names() {
        return names;
    }

    @Override public double variance(double mu) {
        return mu + mu * mu / theta;
    }

    @Override public double devResid(double y, double mu, double wt) {
        return 2.0 * wt * (y * Math.log(Math.max(1.0, y) / mu) - (y + theta) * Math.log((y + theta) / (mu + theta)));
    }

    @Override public boolean validMu(double mu) {
        return mu > 0;
    }

    @Override public double muStart(double y, double wt) {
        return y + (y == 0 ? 1.0 / 6.0 : 0.0);
    }

    @Override public String responseProblem(double y, Link link) {
        return y < 0 ? "is negative; negbinomial counts must be >= 0" : null;
    }

    @Override public boolean dispersionFixed() {
        return true;
    }

    @Override public double aicTerm(double y, double mu, double wt, double dev, double sumWeights) {
        double term = (y + theta) * Math.log(mu + theta) - (y == 0 ? 0.0 : y * Math.log(mu))
                + LogGamma.value(y + 1) - theta * Math.log(theta) + LogGamma.value(theta) - LogGamma.value(theta + y);
        return 2.0 * term * wt;
    }

    @Override public double aicFromTerms(double sumTerms, long nobs, double dev, double sumWeights) {
        return sumTerms;
    }
}
