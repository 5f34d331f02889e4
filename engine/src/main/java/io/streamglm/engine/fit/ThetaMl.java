package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.RowPasses;
import io.streamglm.engine.accumulate.ScalarSums;
import io.streamglm.engine.accumulate.ThetaPass;
import io.streamglm.engine.link.Link;

import java.util.ArrayList;
import java.util.List;

/** {@code MASS::theta.ml}: Newton's method for the negative binomial theta at fixed means, one pass per step. */
final class ThetaMl {
    /** MASS's default tolerance, {@code .Machine$double.eps^0.25}. */
    private static final double EPS = Math.pow(Math.ulp(1.0), 0.25);

    private ThetaMl() {
    }

    record Estimate(double theta, double standardError, List<String> warnings) {
    }

    /**
     * @param beta  coefficients giving the means mu = g^-1(x'beta + offset)
     * @param n     MASS's {@code n}: the sum of prior weights
     * @param limit the most Newton iterations (glm.nb passes {@code control$maxit})
     */
    static Estimate estimate(RowPasses passes, Link link, double[] beta, double n, int limit) {
        ScalarSums moment = passes.theta(new ThetaPass(link, beta, ThetaPass.Kind.MOMENT, 0));
        double t0 = n / moment.get(0);
        int it = 0;
        double del = 1;
        double info = Double.NaN;
        while (++it < limit && Math.abs(del) > EPS) {
            t0 = Math.abs(t0);
            ScalarSums s = passes.theta(new ThetaPass(link, beta, ThetaPass.Kind.SCORE_INFO, t0));
            info = s.get(1);
            del = s.get(0) / info;
            t0 += del;
        }
        List<String> warnings = new ArrayList<>();
        if (t0 < 0) {
            t0 = 0;
            warnings.add("theta estimate truncated at zero");
        }
        if (it == limit) {
            warnings.add("theta.ml iteration limit reached");
        }
        return new Estimate(t0, Math.sqrt(1 / info), warnings);
    }

    /** glm.nb's {@code loglik(n, th, mu, y, w)}. */
    static double logLikelihood(RowPasses passes, Link link, double[] beta, double theta) {
        return passes.theta(new ThetaPass(link, beta, ThetaPass.Kind.LOG_LIKELIHOOD, theta)).get(0);
    }
}
