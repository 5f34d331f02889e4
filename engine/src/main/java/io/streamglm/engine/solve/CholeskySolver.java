package io.streamglm.engine.solve;

import io.streamglm.engine.accumulate.PackedUpper;

/**
 * Solves the normal equations X'WX b = X'Wz with a Cholesky factorisation of the Jacobi-scaled matrix that
 * detects aliased columns the way R's {@code dqrdc2} does: taking columns left to right, a column whose norm
 * after removing the earlier non-aliased columns falls below {@code tol} times its own norm is aliased. In the
 * scaled matrix that norm squared is the pivot itself, so the test is {@code pivot < tol^2}. Aliased columns
 * get coefficient zero during IRLS (as {@code dqrls}) and are reported as aliased.
 *
 * <p>Because the normal equations square the condition number, tolerances below 1e-7 cannot be resolved; R's
 * default (1e-7) is used as the floor.
 */
public final class CholeskySolver {
    /** The smallest relative column norm this solver can tell from rounding noise. */
    public static final double MIN_TOLERANCE = 1e-7;

    private CholeskySolver() {
    }

    /**
     * @param xtwxPacked X'WX, packed upper triangle (not modified)
     * @param xtwz       X'Wz (not modified)
     * @param tol        R's rank tolerance, {@code min(1e-7, epsilon / 1000)}
     */
    public static Solution solve(double[] xtwxPacked, double[] xtwz, int p, double tol) {
        double effectiveTol = Math.max(tol, MIN_TOLERANCE);
        double limit = effectiveTol * effectiveTol;
        double[] a = PackedUpper.toFull(xtwxPacked, p);
        double[] scale = new double[p];
        boolean[] aliased = new boolean[p];
        for (int j = 0; j < p; j++) {
            double d = a[j * p + j];
            if (d > 0 && Double.isFinite(d)) {
                scale[j] = 1.0 / Math.sqrt(d);
            } else {
                aliased[j] = true; // a column of zeros (R: norm 0 compares against 1 * tol and is aliased)
            }
        }
        // Lower-triangular factor of the scaled matrix, row-major p x p; rows/columns of aliased columns unused.
        double[] l = new double[p * p];
        int rank = 0;
        for (int j = 0; j < p; j++) {
            if (aliased[j]) {
                continue;
            }
            double d = a[j * p + j] * scale[j] * scale[j];
            for (int k = 0; k < j; k++) {
                if (!aliased[k]) {
                    double ljk = l[j * p + k];
                    d -= ljk * ljk;
                }
            }
            if (!(d >= limit)) {
                aliased[j] = true;
                continue;
            }
            double ljj = Math.sqrt(d);
            l[j * p + j] = ljj;
            rank++;
            for (int i = j + 1; i < p; i++) {
                if (aliased[i]) {
                    continue;
                }
                double s = a[i * p + j] * scale[i] * scale[j];
                for (int k = 0; k < j; k++) {
                    if (!aliased[k]) {
                        s -= l[i * p + k] * l[j * p + k];
                    }
                }
                l[i * p + j] = s / ljj;
            }
        }
        double[] beta = solveScaled(l, scale, aliased, p, xtwz);
        // One step of iterative refinement against the unfactored matrix.
        double[] residual = xtwz.clone();
        for (int i = 0; i < p; i++) {
            if (aliased[i]) {
                residual[i] = 0;
                continue;
            }
            double s = 0;
            for (int j = 0; j < p; j++) {
                if (!aliased[j]) {
                    s += a[i * p + j] * beta[j];
                }
            }
            residual[i] -= s;
        }
        double[] correction = solveScaled(l, scale, aliased, p, residual);
        for (int j = 0; j < p; j++) {
            beta[j] += correction[j];
        }
        return new Solution(p, beta, aliased, rank, l, scale);
    }

    private static double[] solveScaled(double[] l, double[] scale, boolean[] aliased, int p, double[] rhs) {
        double[] y = new double[p];
        for (int i = 0; i < p; i++) {
            if (aliased[i]) {
                continue;
            }
            double s = rhs[i] * scale[i];
            for (int k = 0; k < i; k++) {
                if (!aliased[k]) {
                    s -= l[i * p + k] * y[k];
                }
            }
            y[i] = s / l[i * p + i];
        }
        double[] x = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            if (aliased[i]) {
                continue;
            }
            double s = y[i];
            for (int k = i + 1; k < p; k++) {
                if (!aliased[k]) {
                    s -= l[k * p + i] * x[k];
                }
            }
            x[i] = s / l[i * p + i];
        }
        for (int i = 0; i < p; i++) {
            x[i] *= scale[i];
        }
        return x;
    }
}
