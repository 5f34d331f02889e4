package io.streamglm.connectors.reference;

/**
 * The tolerances of {@code shared/reference/README.md}, stated once: estimates, standard errors, statistics
 * and deviances to a relative 1e-6 with an absolute floor of 1e-9 times the largest |estimate|; p-values to a
 * relative 1e-5 or an absolute 1e-12. Penalized fits ("Penalized fits"): lambda relative 1e-9, coefficients
 * absolute 1e-5 times the fit's largest |coefficient| (glmnet's zeros exactly zero), cvm and cvsd relative 1e-5;
 * dev_ratio is held to the same relative 1e-5 (with an absolute 1e-12 for the null fit's ~0).
 */
final class ReferenceTolerance {
    static final double RELATIVE = 1e-6;
    static final double ABSOLUTE_FLOOR_FACTOR = 1e-9;
    static final double P_VALUE_RELATIVE = 1e-5;
    static final double P_VALUE_ABSOLUTE = 1e-12;
    static final double LAMBDA_RELATIVE = 1e-9;
    static final double PENALIZED_COEFFICIENT_FACTOR = 1e-5;
    static final double CV_RELATIVE = 1e-5;
    static final double DEV_RATIO_ABSOLUTE = 1e-12;

    private ReferenceTolerance() {
    }

    static boolean close(double expected, double actual, double largestEstimate) {
        double diff = Math.abs(expected - actual);
        return diff <= RELATIVE * Math.abs(expected) || diff <= ABSOLUTE_FLOOR_FACTOR * largestEstimate;
    }

    static boolean closePValue(double expected, double actual) {
        double diff = Math.abs(expected - actual);
        return diff <= P_VALUE_RELATIVE * Math.abs(expected) || diff <= P_VALUE_ABSOLUTE;
    }
}
