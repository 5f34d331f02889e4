package io.streamglm.engine.penalized;

import io.streamglm.engine.design.DesignMatrix;

/**
 * The data of a glmnet fit as glmnet's drivers prepare it: prior weights scaled to sum to 1, each penalized column
 * centred (with an intercept) and, with {@code standardize}, divided by its weighted 1/n standard deviation, so that
 * the penalty acts on standardized coefficients; {@link #toOriginal} maps them back.
 *
 * <p>Columns are held dense and column-major ({@code x[j * n + i]}): the coordinate descent runs down one column at
 * a time, and centring makes a categorical level's column dense anyway.
 */
final class GlmnetProblem {
    final int n;
    final int p;
    /** Standardized penalized columns, column-major. */
    final double[] x;
    final double[] y;
    /** Prior weights scaled to sum to 1. */
    final double[] w;
    final double[] offset;
    final double[] xm;
    final double[] xs;
    /** glmnet's ju: false for a constant column, which glmnet leaves out (coefficient 0). */
    final boolean[] ju;
    final boolean intercept;
    /** The sum of the prior weights before scaling. */
    final double weightSum;

    private GlmnetProblem(int n, int p, double[] x, double[] y, double[] w, double[] offset, double[] xm,
                          double[] xs, boolean[] ju, boolean intercept, double weightSum) {
        this.n = n;
        this.p = p;
        this.x = x;
        this.y = y;
        this.w = w;
        this.offset = offset;
        this.xm = xm;
        this.xs = xs;
        this.ju = ju;
        this.intercept = intercept;
        this.weightSum = weightSum;
    }

    /**
     * @param rows   the rows of {@code m} to use, or null for all (cross-validation's training folds)
     * @param intercept whether column 0 of {@code m} is the intercept (it is left out of {@link #x})
     */
    static GlmnetProblem of(DesignMatrix m, int[] rows, boolean intercept, boolean standardize) {
        int n = rows == null ? m.rows() : rows.length;
        int first = intercept ? 1 : 0;
        int p = m.columns() - first;
        double[] x = new double[Math.multiplyExact(n, Math.max(p, 1))];
        double[] y = new double[n];
        double[] w = new double[n];
        double[] offset = new double[n];
        int[] dense = m.denseColumns();
        double[] dv = m.denseValues();
        int[] idx = m.indices();
        double[] val = m.values();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        int rowsAll = m.rows();
        double sw = 0;
        for (int r = 0; r < n; r++) {
            int i = rows == null ? r : rows[r];
            y[r] = m.y(i);
            w[r] = m.weight(i);
            offset[r] = m.offset(i);
            sw += w[r];
            for (int a = 0; a < dense.length; a++) {
                int j = dense[a] - first;
                if (j >= 0) {
                    x[j * n + r] = dv[a * rowsAll + i];
                }
            }
            for (int k = 0, base = i * stride; k < nnz[i]; k++) {
                int j = idx[base + k] - first;
                if (j >= 0) {
                    x[j * n + r] += val[base + k];
                }
            }
        }
        for (int r = 0; r < n; r++) {
            w[r] /= sw;
        }
        double[] xm = new double[p];
        double[] xs = new double[p];
        boolean[] ju = new boolean[p];
        for (int j = 0; j < p; j++) {
            int c = j * n;
            boolean constant = true;
            for (int r = 1; r < n && constant; r++) {
                constant = x[c + r] == x[c];
            }
            ju[j] = !constant;
            double mean = 0;
            double sq = 0;
            for (int r = 0; r < n; r++) {
                mean += w[r] * x[c + r];
                sq += w[r] * x[c + r] * x[c + r];
            }
            // glmnet's standard(): the 1/n variance about the weighted mean, centring only with an intercept.
            double sd = Math.sqrt(Math.max(sq - mean * mean, 0));
            xm[j] = intercept ? mean : 0;
            xs[j] = standardize && ju[j] ? sd : 1;
            for (int r = 0; r < n; r++) {
                x[c + r] = (x[c + r] - xm[j]) / xs[j];
            }
        }
        return new GlmnetProblem(n, p, x, y, w, offset, xm, xs, ju, intercept, sw);
    }

    /** Weighted sum of squares of standardized column j: glmnet's xv. */
    double xv(int j, double[] weights) {
        double s = 0;
        for (int r = 0, c = j * n; r < n; r++) {
            s += weights[r] * x[c + r] * x[c + r];
        }
        return s;
    }

    /**
     * Maps standardized coefficients to the original scale: {@code beta[j] = scale * b[j] / xs[j]}; returns the
     * intercept {@code scale * a0 + shift - sum(beta[j] * xm[j])}.
     */
    double toOriginal(double a0, double[] b, double scale, double shift, double[] beta) {
        double a = scale * a0 + shift;
        for (int j = 0; j < p; j++) {
            beta[j] = b[j] == 0 ? 0 : scale * b[j] / xs[j];
            a -= beta[j] * xm[j];
        }
        return a;
    }
}
