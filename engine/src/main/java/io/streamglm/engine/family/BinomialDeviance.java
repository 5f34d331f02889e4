package io.streamglm.engine.family;

/** R's C {@code binomial_dev_resids}, shared by binomial and quasibinomial; also their common start. */
final class BinomialDeviance {
    private BinomialDeviance() {
    }

    private static double yLogY(double y, double mu) {
        return y != 0.0 ? y * Math.log(y / mu) : 0.0;
    }

    static double devResid(double y, double mu, double wt) {
        return 2.0 * wt * (yLogY(y, mu) + yLogY(1.0 - y, 1.0 - mu));
    }

    /** R's {@code binomInitialize}; y has already been set to 0 where the weight is 0, as R does. */
    static double muStart(double y, double wt) {
        return (wt * y + 0.5) / (wt + 1.0);
    }

    static String responseProblem(double y) {
        return (y < 0 || y > 1) ? "is outside [0, 1]; binomial responses are 0/1 or proportions of trials" : null;
    }

    static boolean validMu(double mu) {
        return Double.isFinite(mu) && mu > 0 && mu < 1;
    }
}
