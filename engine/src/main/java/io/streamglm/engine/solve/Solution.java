package io.streamglm.engine.solve;

/**
 * A solved weighted least-squares step: coefficients (zero where aliased), which columns are aliased, the rank,
 * and the factor from which the unscaled covariance (X'WX)^-1 is computed on demand.
 */
public final class Solution {
    private final int p;
    private final double[] beta;
    private final boolean[] aliased;
    private final int rank;
    private final double[] lower;
    private final double[] scale;

    Solution(int p, double[] beta, boolean[] aliased, int rank, double[] lower, double[] scale) {
        this.p = p;
        this.beta = beta;
        this.aliased = aliased;
        this.rank = rank;
        this.lower = lower;
        this.scale = scale;
    }

    public int columns() {
        return p;
    }

    /** Coefficients, zero for aliased columns; a copy. */
    public double[] beta() {
        return beta.clone();
    }

    /** Aliased flags; a copy. */
    public boolean[] aliased() {
        return aliased.clone();
    }

    public int rank() {
        return rank;
    }

    public boolean allFinite() {
        for (double b : beta) {
            if (!Double.isFinite(b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * (X'WX)^-1 over the non-aliased columns (R's {@code chol2inv} of the QR's R), full row-major p x p with
     * zero rows and columns for aliased columns.
     */
    public double[] unscaledCovariance() {
        // Inverse of the scaled lower factor, then (L^-1)' L^-1, then undo the scaling.
        double[] inv = new double[p * p];
        for (int j = 0; j < p; j++) {
            if (aliased[j]) {
                continue;
            }
            inv[j * p + j] = 1.0 / lower[j * p + j];
            for (int i = j + 1; i < p; i++) {
                if (aliased[i]) {
                    continue;
                }
                double s = 0;
                for (int k = j; k < i; k++) {
                    if (!aliased[k]) {
                        s -= lower[i * p + k] * inv[k * p + j];
                    }
                }
                inv[i * p + j] = s / lower[i * p + i];
            }
        }
        double[] cov = new double[p * p];
        for (int i = 0; i < p; i++) {
            if (aliased[i]) {
                continue;
            }
            for (int j = i; j < p; j++) {
                if (aliased[j]) {
                    continue;
                }
                double s = 0;
                for (int k = j; k < p; k++) {
                    s += inv[k * p + i] * inv[k * p + j];
                }
                double c = s * scale[i] * scale[j];
                cov[i * p + j] = c;
                cov[j * p + i] = c;
            }
        }
        return cov;
    }
}
