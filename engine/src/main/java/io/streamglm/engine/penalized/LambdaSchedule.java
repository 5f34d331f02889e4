package io.streamglm.engine.penalized;

import java.util.function.DoubleSupplier;

/**
 * glmnet's lambdas along a path and its early stop, which differ by driver: the given lambdas; or "big" first (all
 * penalized coefficients zero), then lambda_max (alpha floored at 1e-3, so that ridge has one) times a constant
 * ratio for the native drivers (reported with {@code fix.lam}'s first lambda), or {@code glmnet.path}'s
 * {@code exp(seq(log(lambda_max), log(lambda_max * ratio), length = nlambda))} for family objects.
 */
final class LambdaSchedule {
    /** glmnet.control()'s factory defaults. */
    static final double BIG = 9.9e35;
    static final double EPS = 1e-6;
    static final double FDEV = 1e-5;
    static final double DEVMAX = 0.999;
    static final int MNLAM = 5;

    private final GlmnetPath.Flavour flavour;
    private final String familyName;
    private final double[] given;
    private final int nLambda;
    private final double minRatio;
    private final double alpha;
    private double ratio;
    private double[] flexLambdas;

    LambdaSchedule(GlmnetPath.Flavour flavour, String familyName, GlmnetPath.Options o) {
        this.flavour = flavour;
        this.familyName = familyName;
        this.given = o.lambdas();
        this.nLambda = o.nLambda();
        this.minRatio = o.lambdaMinRatio();
        this.alpha = o.alpha();
    }

    int size() {
        return given != null ? given.length : nLambda;
    }

    /**
     * The lambda of fit m on the solver's scale, and the previous one for the strong rule.
     *
     * @param prev          the lambda of fit m - 1 (0 before the first)
     * @param scale         divides given lambdas (elnet's response standard deviation)
     * @param maxGradient   max over penalized columns of |gradient| / penalty factor, asked for at fit 1
     */
    double[] at(int m, double prev, double scale, DoubleSupplier maxGradient) {
        if (given != null) {
            return new double[] {given[m] / scale, prev};
        }
        if (m == 0) {
            return new double[] {BIG, 0};
        }
        if (m == 1) {
            double lambdaMax = maxGradient.getAsDouble() / Math.max(alpha, 1e-3);
            if (flavour == GlmnetPath.Flavour.FLEX) {
                flexLambdas = new double[nLambda];
                double lo = Math.log(lambdaMax);
                double hi = Math.log(lambdaMax * minRatio);
                for (int k = 0; k < nLambda; k++) {
                    flexLambdas[k] = Math.exp(lo + (hi - lo) * k / (nLambda - 1));
                }
                return new double[] {flexLambdas[1], lambdaMax};
            }
            ratio = Math.pow(Math.max(EPS, minRatio), 1.0 / (nLambda - 1));
            return new double[] {lambdaMax * ratio, lambdaMax};
        }
        return flavour == GlmnetPath.Flavour.FLEX ? new double[] {flexLambdas[m], prev}
                : new double[] {prev * ratio, prev};
    }

    /**
     * glmnet's early stop after fit m (0-based) with fractions of deviance explained {@code dev[0..m]}: elnet stops
     * on a relative change below fdev, lognet on an absolute one, fishnet on a relative change over the last mnlam
     * fits below 10 fdev; glmnet.path does the same by family name; all stop beyond devmax.
     */
    boolean stopAfter(int m, double[] dev) {
        int mnl = Math.min(MNLAM, nLambda);
        if (given != null || m + 1 < mnl) {
            return false;
        }
        double d = dev[m];
        if (d > DEVMAX) {
            return true;
        }
        double before = m > 0 ? dev[m - 1] : 0;
        switch (flavour) {
            case ELNET:
                return (d == 0 ? Double.POSITIVE_INFINITY : (d - before) / d) < FDEV;
            case LOGNET:
                return d - before < FDEV;
            case FISHNET:
                return (d - dev[m - mnl + 1]) / d < 10 * FDEV;
            default:
                if (m == 0) {
                    return false;
                }
                if (familyName.equals("gaussian")) {
                    return d - before < FDEV * d;
                }
                if (familyName.equals("poisson")) {
                    return d - dev[m - mnl + 1] < 10 * FDEV * d;
                }
                return d - before < FDEV;
        }
    }

    /** The lambdas glmnet reports for the first {@code count} fits, from those solved at ({@code lam * scale}). */
    double[] reported(double[] lam, int count, double scale) {
        double[] out = new double[count];
        for (int m = 0; m < count; m++) {
            out[m] = lam[m] * scale;
        }
        if (given != null) {
            System.arraycopy(given, 0, out, 0, count);
        } else if (flavour == GlmnetPath.Flavour.FLEX) {
            if (flexLambdas != null) {
                System.arraycopy(flexLambdas, 0, out, 0, count);
            }
        } else if (count > 2) {
            // fix.lam: the first lambda (infinite) becomes the extrapolation of the next two.
            out[0] = Math.exp(2 * Math.log(out[1]) - Math.log(out[2]));
        }
        return out;
    }
}
