package io.streamglm.engine.penalized;

import java.util.List;

/**
 * A glmnet path on the original scale of the columns: one fit per lambda, in the order fitted (decreasing lambda).
 *
 * @param lambda        the lambdas as glmnet reports them (its first, infinite one replaced by the extrapolation of
 *                      the next two, as {@code fix.lam} does)
 * @param intercept     the intercept of each fit (0 without one)
 * @param beta          {@code beta[m][j]}: coefficient of penalized column j at lambda m
 * @param df            non-zero coefficients of each fit, the intercept excluded
 * @param devRatio      the fraction of the null deviance explained
 * @param nullDeviance  the deviance of the intercept-only model (with the offset), prior weights scaled to sum to 1
 * @param warnings      why the path stopped short, if it did for a reason other than glmnet's early stop
 */
public record PathFit(double[] lambda, double[] intercept, double[][] beta, int[] df, double[] devRatio,
                      double nullDeviance, int passes, List<String> warnings) {

    public PathFit {
        warnings = List.copyOf(warnings);
    }

    public int size() {
        return lambda.length;
    }

    /**
     * The fit at {@code s} as glmnet's {@code predict(fit, s = s)} gives it: linear interpolation between the two
     * fitted lambdas around {@code s}, the first or last fit outside their range.
     *
     * @param out intercept at 0, then the coefficients (length 1 + p); modified
     */
    public void interpolate(double s, double[] out) {
        int k = lambda.length;
        int left;
        int right;
        double frac;
        if (k == 1 || s >= lambda[0]) {
            left = right = 0;
            frac = 1;
        } else if (s <= lambda[k - 1]) {
            left = right = k - 1;
            frac = 1;
        } else {
            right = 1;
            while (lambda[right] > s) {
                right++;
            }
            left = right - 1;
            if (lambda[right] == s) {
                left = right;
                frac = 1;
            } else {
                frac = (s - lambda[right]) / (lambda[left] - lambda[right]);
            }
        }
        out[0] = frac * intercept[left] + (1 - frac) * intercept[right];
        for (int j = 0; j < beta[left].length; j++) {
            out[j + 1] = frac * beta[left][j] + (1 - frac) * beta[right][j];
        }
    }
}
