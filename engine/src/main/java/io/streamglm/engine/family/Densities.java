package io.streamglm.engine.family;

import org.apache.commons.numbers.gamma.LogGamma;

/** Log densities used by R's family {@code aic} functions, with R's conventions at the edges. */
final class Densities {
    private Densities() {
    }

    private static final double[] LOG_FACTORIAL = new double[1024];

    static {
        for (int k = 2; k < LOG_FACTORIAL.length; k++) {
            LOG_FACTORIAL[k] = LogGamma.value(k + 1.0);
        }
    }

    /** log(x!) for a whole number x >= 0: a table for small counts, log-gamma beyond. */
    static double logFactorial(double x) {
        return x < LOG_FACTORIAL.length ? LOG_FACTORIAL[(int) x] : LogGamma.value(x + 1);
    }

    /** R's {@code R_nonint}: x is not within 1e-7 (relative) of an integer. */
    static boolean nonInteger(double x) {
        return Math.abs(x - Math.rint(x)) > 1e-7 * Math.max(1.0, Math.abs(x));
    }

    /** log dpois(x, lambda); -Inf for non-integer x as R (which also warns). */
    static double dpoisLog(double x, double lambda) {
        if (nonInteger(x) || x < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        x = Math.rint(x);
        if (lambda == 0) {
            return x == 0 ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        return x * Math.log(lambda) - lambda - logFactorial(x);
    }

    /** log dbinom(x, n, p) for integer x and n. */
    static double dbinomLog(double x, double n, double p) {
        if (x < 0 || x > n) {
            return Double.NEGATIVE_INFINITY;
        }
        double lchoose = LogGamma.value(n + 1) - LogGamma.value(x + 1) - LogGamma.value(n - x + 1);
        double a = x == 0 ? 0.0 : x * Math.log(p);
        double b = n - x == 0 ? 0.0 : (n - x) * Math.log1p(-p);
        return lchoose + a + b;
    }

    /** log dgamma(x, shape, scale). */
    static double dgammaLog(double x, double shape, double scale) {
        if (x < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return -LogGamma.value(shape) - shape * Math.log(scale) + (shape - 1) * Math.log(x) - x / scale;
    }
}
