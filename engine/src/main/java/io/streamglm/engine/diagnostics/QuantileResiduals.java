package io.streamglm.engine.diagnostics;

import io.streamglm.engine.family.Family;
import org.apache.commons.numbers.gamma.RegularizedBeta;
import org.apache.commons.numbers.gamma.RegularizedGamma;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Dunn and Smyth's randomized quantile residuals for discrete responses, as {@code statmod::qresiduals}:
 * with F the fitted distribution function, u uniform on [F(y - 1), F(y)] and the residual qnorm(u). Exactly
 * standard normal when the model is right, whatever the counts.
 */
abstract sealed class QuantileResiduals {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    /** The residual of one row from a uniform draw on [0, 1). */
    final double residual(double y, double mu, double wt, double uniform) {
        double a = lower(y, mu, wt);
        double b = upper(y, mu, wt);
        return STANDARD_NORMAL.inverseCumulativeProbability(a + (b - a) * uniform);
    }

    /** F(y - 1) (0 at y = 0). */
    abstract double lower(double y, double mu, double wt);

    /** F(y). */
    abstract double upper(double y, double mu, double wt);

    /** Null for families without a discrete distribution here. */
    static QuantileResiduals forFamily(Family family, double theta) {
        return switch (family.name()) {
            case "poisson" -> new Poisson();
            case "binomial" -> new Binomial();
            case "negbinomial" -> new NegBinomial(theta);
            default -> null;
        };
    }

    /** {@code qres.pois}: ppois(y - 1, mu) and ppois(y, mu); ppois(k, mu) = Q(k + 1, mu). */
    private static final class Poisson extends QuantileResiduals {
        @Override double lower(double y, double mu, double wt) {
            return y > 0 ? RegularizedGamma.Q.value(y, mu) : 0.0;
        }

        @Override double upper(double y, double mu, double wt) {
            return RegularizedGamma.Q.value(y + 1, mu);
        }
    }

    /**
     * {@code qres.binom}: the prior weight is the number of trials n, successes k = n y; pbinom(k, n, p) =
     * I_{1-p}(n - k, k + 1).
     */
    private static final class Binomial extends QuantileResiduals {
        @Override double lower(double y, double mu, double wt) {
            return cdf(Math.rint(wt * y) - 1, wt, mu);
        }

        @Override double upper(double y, double mu, double wt) {
            return cdf(Math.rint(wt * y), wt, mu);
        }

        private static double cdf(double k, double n, double p) {
            if (k < 0) {
                return 0.0;
            }
            if (k >= n) {
                return 1.0;
            }
            return RegularizedBeta.value(1 - p, n - k, k + 1);
        }
    }

    /** {@code qres.nbinom} at the fit's theta: pnbinom(y, theta, mu) = I_p(theta, y + 1), p = theta / (mu + theta). */
    private static final class NegBinomial extends QuantileResiduals {
        private final double theta;

        NegBinomial(double theta) {
            this.theta = theta;
        }

        @Override double lower(double y, double mu, double wt) {
            return y > 0 ? RegularizedBeta.value(theta / (mu + theta), theta, y) : 0.0;
        }

        @Override double upper(double y, double mu, double wt) {
            return RegularizedBeta.value(theta / (mu + theta), theta, y + 1);
        }
    }
}
