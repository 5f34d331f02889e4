package io.streamglm.engine.inference;

import io.streamglm.engine.accumulate.PackedUpper;

/**
 * Heteroskedasticity-consistent standard errors as {@code sandwich::vcovHC} on a glm: the covariance is
 * {@code (n_ok / n)^2 * C M C} with C = (X'WX)^-1 from the fit's last weights and M the accumulated meat
 * (the sandwich package's bread scales by n_ok = rank + df_residual while its sandwich divides by all n rows,
 * so rows with zero prior weight shrink the result the same way here). HC1 rescales HC0 by n / (n - rank).
 */
public final class Sandwich {
    private Sandwich() {
    }

    /** Standard errors sqrt(diag(scale * C M C)); aliased columns (zero rows in C) give NaN. */
    public static double[] standardErrors(double[] cov, double[] meatPacked, int p, double scale, boolean[] aliased) {
        double[] meat = PackedUpper.toFull(meatPacked, p);
        double[] se = new double[p];
        double[] mc = new double[p];
        for (int j = 0; j < p; j++) {
            if (aliased[j]) {
                se[j] = Double.NaN;
                continue;
            }
            // (M C)_{., j}
            for (int a = 0; a < p; a++) {
                double s = 0;
                for (int b = 0; b < p; b++) {
                    s += meat[a * p + b] * cov[b * p + j];
                }
                mc[a] = s;
            }
            double v = 0;
            for (int a = 0; a < p; a++) {
                v += cov[j * p + a] * mc[a];
            }
            se[j] = Math.sqrt(scale * v);
        }
        return se;
    }
}
