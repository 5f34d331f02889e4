package io.streamglm.engine.penalized;

import io.streamglm.engine.design.DesignMatrix;

/**
 * The data of a glmnet fit as glmnet's drivers prepare it: prior weights scaled to sum to 1, each penalized column
 * centred (with an intercept) and, with {@code standardize}, divided by its weighted 1/n standard deviation, so that
 * the penalty acts on standardized coefficients; {@link #toOriginal} maps them back.
 *
 * <p>The standardized columns {@code x~_j = (x_j - xm_j) / xs_j} are never stored: each column keeps its raw values,
 * dense for numeric terms and as (row, value) entries for categorical levels and other sparse terms, and the
 * operations below apply the centring and scaling algebraically, so that a level's coordinate step costs its rows,
 * not all rows, as glmnet does for sparse matrices.
 */
final class GlmnetProblem {
    final int n;
    final int p;
    final double[] y;
    /** Prior weights scaled to sum to 1. */
    final double[] w;
    /** Prior weights as given: glmnet.path's start with an offset fits glm() with them ({@link GlmStart}). */
    final double[] priorWeights;
    final double[] offset;
    final double[] xm;
    final double[] xs;
    /** glmnet's ju: false for a constant column, which glmnet leaves out (coefficient 0). */
    final boolean[] ju;
    final boolean intercept;
    /** Raw values of column j: all rows when {@code rows[j]} is null, else at rows {@code rows[j]} (ascending). */
    private final double[][] values;
    private final int[][] rows;

    private GlmnetProblem(int n, int p, double[] y, double[] w, double[] priorWeights, double[] offset, double[] xm,
                          double[] xs, boolean[] ju, boolean intercept, double[][] values, int[][] rows) {
        this.n = n;
        this.p = p;
        this.y = y;
        this.w = w;
        this.priorWeights = priorWeights;
        this.offset = offset;
        this.xm = xm;
        this.xs = xs;
        this.ju = ju;
        this.intercept = intercept;
        this.values = values;
        this.rows = rows;
    }

    /**
     * @param subset    the rows of {@code m} to use, ascending, or null for all (cross-validation's training folds)
     * @param intercept whether column 0 of {@code m} is the intercept (it is left out of the columns)
     */
    static GlmnetProblem of(DesignMatrix m, int[] subset, boolean intercept, boolean standardize) {
        int n = subset == null ? m.rows() : subset.length;
        int first = intercept ? 1 : 0;
        int p = m.columns() - first;
        double[] y = new double[n];
        double[] w = new double[n];
        double[] offset = new double[n];
        int[] dense = m.denseColumns();
        double[] dv = m.denseValues();
        int[] idx = m.indices();
        double[] val = m.values();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        int all = m.rows();
        double[][] values = new double[p][];
        int[][] rows = new int[p][];
        boolean[] isDense = new boolean[p];
        for (int a = 0; a < dense.length; a++) {
            int j = dense[a] - first;
            if (j >= 0) {
                isDense[j] = true;
                values[j] = new double[n];
            }
        }
        int[] count = new int[p];
        for (int r = 0; r < n; r++) {
            int i = subset == null ? r : subset[r];
            for (int k = 0, base = i * stride; k < nnz[i]; k++) {
                int j = idx[base + k] - first;
                if (j >= 0 && !isDense[j]) {
                    count[j]++;
                }
            }
        }
        for (int j = 0; j < p; j++) {
            if (!isDense[j]) {
                values[j] = new double[count[j]];
                rows[j] = new int[count[j]];
            }
        }
        int[] fill = new int[p];
        double sw = 0;
        for (int r = 0; r < n; r++) {
            int i = subset == null ? r : subset[r];
            y[r] = m.y(i);
            w[r] = m.weight(i);
            offset[r] = m.offset(i);
            sw += w[r];
            for (int a = 0; a < dense.length; a++) {
                int j = dense[a] - first;
                if (j >= 0) {
                    values[j][r] = dv[a * all + i];
                }
            }
            for (int k = 0, base = i * stride; k < nnz[i]; k++) {
                int j = idx[base + k] - first;
                if (j < 0) {
                    continue;
                }
                if (isDense[j]) {
                    values[j][r] += val[base + k];
                } else {
                    values[j][fill[j]] = val[base + k];
                    rows[j][fill[j]++] = r;
                }
            }
        }
        double[] priorWeights = w.clone();
        for (int r = 0; r < n; r++) {
            w[r] /= sw;
        }
        double[] xm = new double[p];
        double[] xs = new double[p];
        boolean[] ju = new boolean[p];
        GlmnetProblem pr = new GlmnetProblem(n, p, y, w, priorWeights, offset, xm, xs, ju, intercept, values, rows);
        for (int j = 0; j < p; j++) {
            ju[j] = !pr.constant(j);
            double mean = pr.rawDot(j, w);
            double sq = pr.rawWeightedSquares(j, w);
            // glmnet's standard(): the 1/n variance about the weighted mean, centring only with an intercept.
            double sd = Math.sqrt(Math.max(sq - mean * mean, 0));
            xm[j] = intercept ? mean : 0;
            xs[j] = standardize && ju[j] ? sd : 1;
        }
        return pr;
    }

    private boolean constant(int j) {
        double[] v = values[j];
        if (rows[j] != null && v.length < n) {
            for (double x : v) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 1; i < v.length; i++) {
            if (v[i] != v[0]) {
                return false;
            }
        }
        return true;
    }

    /** Below this many rows a row loop runs on the calling thread alone. */
    private static final int PARALLEL_ROWS = 1 << 16;

    /** A loop body over the rows {@code from} until {@code to}. */
    @FunctionalInterface
    interface RowRange {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over rows 0 until n in two halves, the second on the common pool, when n is large. Only for
     * loops whose rows are independent (no sum across rows), so the result is the sequential loop's to the bit.
     */
    static void forRows(int n, RowRange body) {
        if (n < PARALLEL_ROWS) {
            body.run(0, n);
            return;
        }
        int half = n >>> 1;
        java.util.concurrent.ForkJoinTask<?> second =
                java.util.concurrent.ForkJoinPool.commonPool().submit(() -> body.run(half, n));
        body.run(0, half);
        second.join();
    }

    /** Sum over rows of {@code a_i * x_ij} (raw x). */
    double rawDot(int j, double[] a) {
        double[] v = values[j];
        int[] r = rows[j];
        double s = 0;
        if (r == null) {
            for (int i = 0; i < n; i++) {
                s += a[i] * v[i];
            }
        } else {
            for (int k = 0; k < r.length; k++) {
                s += a[r[k]] * v[k];
            }
        }
        return s;
    }

    /** Sum over rows of {@code a_i * x_ij^2} (raw x). */
    double rawWeightedSquares(int j, double[] a) {
        double[] v = values[j];
        int[] r = rows[j];
        double s = 0;
        if (r == null) {
            for (int i = 0; i < n; i++) {
                s += a[i] * v[i] * v[i];
            }
        } else {
            for (int k = 0; k < r.length; k++) {
                s += a[r[k]] * v[k] * v[k];
            }
        }
        return s;
    }

    /**
     * The three raw sums every Newton step needs, for every column, one sweep of each: {@code ax[j] = sum_i
     * a_i x_ij}, {@code axx[j] = sum_i a_i x_ij^2} and {@code bx[j] = sum_i b_i x_ij}. Each sum runs over the rows in
     * ascending order with the products of {@link #rawDot} and {@link #rawWeightedSquares}, so the results are
     * theirs to the bit; the three independent sums share one sweep of the column, for the time of one.
     */
    void sums(double[] a, double[] b, double[] ax, double[] axx, double[] bx) {
        if (rowStart == null) {
            byRow();
        }
        for (int j = 0; j < p; j++) {
            ax[j] = 0;
            axx[j] = 0;
            bx[j] = 0;
        }
        if (n < PARALLEL_ROWS) {
            denseSums(0, p, a, b, ax, axx, bx);
            sparseSums(a, b, ax, axx, bx);
            return;
        }
        // Each column's sums stay on one thread: the first half of the columns here, the rest and the sparse pass
        // on the common pool.
        int half = p >>> 1;
        java.util.concurrent.ForkJoinTask<?> second = java.util.concurrent.ForkJoinPool.commonPool().submit(() -> {
            denseSums(half, p, a, b, ax, axx, bx);
            sparseSums(a, b, ax, axx, bx);
        });
        denseSums(0, half, a, b, ax, axx, bx);
        second.join();
    }

    private void denseSums(int from, int to, double[] a, double[] b, double[] ax, double[] axx, double[] bx) {
        for (int j = from; j < to; j++) {
            if (rows[j] != null) {
                continue;
            }
            double[] v = values[j];
            double t1 = 0;
            double t2 = 0;
            double t3 = 0;
            for (int i = 0; i < n; i++) {
                double x = v[i];
                double t = a[i] * x;
                t1 += t;
                t2 += t * x;
                t3 += b[i] * x;
            }
            ax[j] = t1;
            axx[j] = t2;
            bx[j] = t3;
        }
    }

    /**
     * The sparse columns' sums by row: a and b are read in order, and each column's sums still run over its rows in
     * ascending order.
     */
    private void sparseSums(double[] a, double[] b, double[] ax, double[] axx, double[] bx) {
        for (int i = 0; i < n; i++) {
            double ai = a[i];
            double bi = b[i];
            for (int e = rowStart[i], end = rowStart[i + 1]; e < end; e++) {
                int j = rowColumn[e];
                double x = rowValue[e];
                double t = ai * x;
                ax[j] += t;
                axx[j] += t * x;
                bx[j] += bi * x;
            }
        }
    }

    /** The sparse columns' entries by row (columns ascending within a row), built at the first {@link #sums}. */
    private int[] rowStart;
    private int[] rowColumn;
    private double[] rowValue;

    private void byRow() {
        int[] count = new int[n + 1];
        for (int j = 0; j < p; j++) {
            if (rows[j] != null) {
                for (int i : rows[j]) {
                    count[i + 1]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            count[i + 1] += count[i];
        }
        int[] fill = count.clone();
        rowColumn = new int[count[n]];
        rowValue = new double[count[n]];
        for (int j = 0; j < p; j++) {
            int[] r = rows[j];
            if (r != null) {
                for (int k = 0; k < r.length; k++) {
                    int e = fill[r[k]]++;
                    rowColumn[e] = j;
                    rowValue[e] = values[j][k];
                }
            }
        }
        rowStart = count;
    }

    /**
     * Runs of adjacent sparse columns whose rows never meet (the levels of a categorical): {@code blockEnd[j]} is the
     * column after the run that starts at j, j + 1 for a column alone; built at the first {@link #blockEnd}.
     */
    private int[] blockEnd;
    /** For a run of two or more starting at j: the column of each row within the run (-1 for none), its value. */
    private int[][] blockColumn;
    private double[][] blockValue;

    private void blocks() {
        blockEnd = new int[p];
        blockColumn = new int[p][];
        blockValue = new double[p][];
        boolean[] seen = new boolean[n];
        int j = 0;
        while (j < p) {
            int end = j + 1;
            if (rows[j] != null) {
                for (int i : rows[j]) {
                    seen[i] = true;
                }
                while (end < p && rows[end] != null && disjoint(rows[end], seen)) {
                    for (int i : rows[end]) {
                        seen[i] = true;
                    }
                    end++;
                }
                for (int c = j; c < end; c++) {
                    for (int i : rows[c]) {
                        seen[i] = false;
                    }
                }
                if (end - j > 1) {
                    int[] col = new int[n];
                    double[] val = new double[n];
                    java.util.Arrays.fill(col, -1);
                    for (int c = j; c < end; c++) {
                        for (int k = 0; k < rows[c].length; k++) {
                            col[rows[c][k]] = c;
                            val[rows[c][k]] = values[c][k];
                        }
                    }
                    blockColumn[j] = col;
                    blockValue[j] = val;
                }
            }
            for (int c = j; c < end; c++) {
                blockEnd[c] = end;
            }
            j = end;
        }
    }

    private static boolean disjoint(int[] r, boolean[] seen) {
        for (int i : r) {
            if (seen[i]) {
                return false;
            }
        }
        return true;
    }

    /** The end of the run of disjoint sparse columns that starts at j (see {@link #blockRows}). */
    int blockEnd(int j) {
        if (blockEnd == null) {
            blocks();
        }
        return blockEnd[j];
    }

    /** The number of stored (non-zero) rows of column j. */
    int nonZeros(int j) {
        return rows[j] == null ? n : rows[j].length;
    }

    /**
     * For the run of disjoint sparse columns starting at j (two or more, see {@link #blockEnd}): {@code out[c - j] =
     * sum_i b_i x_ic}, every column's {@link #rawDot} to the bit, in one ordered pass over the rows. Columns that
     * share no row can be summed (and stepped, {@link #blockSubtract}) together: a step of one leaves the others'
     * rows alone.
     */
    void blockRows(int j, double[] b, double[] out) {
        int[] col = blockColumn[j];
        double[] val = blockValue[j];
        java.util.Arrays.fill(out, 0, blockEnd[j] - j, 0);
        for (int i = 0; i < n; i++) {
            int c = col[i];
            if (c >= 0) {
                out[c - j] += b[i] * val[i];
            }
        }
    }

    /**
     * {@link #subtractRaw} of every column of the run starting at j by {@code d[c - j]} (0 for none) at once; each
     * row belongs to one column of the run, so the result is the column by column one's to the bit.
     */
    void blockSubtract(int j, double[] d, double[] a, double[] target) {
        int[] col = blockColumn[j];
        double[] val = blockValue[j];
        double[] c = new double[blockEnd[j] - j];
        for (int k = 0; k < c.length; k++) {
            c[k] = d[k] / xs[j + k];
        }
        forRows(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                int k = col[i];
                if (k >= 0 && d[k - j] != 0) {
                    target[i] -= c[k - j] * a[i] * val[i];
                }
            }
        });
    }

    /** {@link #xv} from the raw sums {@code ax[j]} and {@code axx[j]} of {@link #sums}, to the bit. */
    double xv(int j, double ax, double axx, double sumA) {
        double m = xm[j];
        return (axx - 2 * m * ax + m * m * sumA) / (xs[j] * xs[j]);
    }

    /** Sum over rows of {@code a_i * x~_ij}, given {@code sumA}, the sum of a. */
    double dot(int j, double[] a, double sumA) {
        return (rawDot(j, a) - xm[j] * sumA) / xs[j];
    }

    /** Sum over rows of {@code a_i * x~_ij^2} (glmnet's xv with weights a), given {@code sumA}. */
    double xv(int j, double[] a, double sumA) {
        double m = xm[j];
        return (rawWeightedSquares(j, a) - 2 * m * rawDot(j, a) + m * m * sumA) / (xs[j] * xs[j]);
    }

    /**
     * {@code target_i -= d * a_i * x_ij / xs_j} over the column's non-zero rows: the raw part of subtracting
     * {@code d * a_i * x~_ij}; the centring part, {@code + d * a_i * xm_j / xs_j} for every row, is the caller's.
     */
    void subtractRaw(int j, double d, double[] a, double[] target) {
        double c = d / xs[j];
        double[] v = values[j];
        int[] r = rows[j];
        if (r == null) {
            forRows(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    target[i] -= c * a[i] * v[i];
                }
            });
        } else {
            for (int k = 0; k < r.length; k++) {
                target[r[k]] -= c * a[r[k]] * v[k];
            }
        }
    }

    /** {@code target_i += c * x_ij} (raw x) over the column's non-zero rows. */
    void addRaw(int j, double c, double[] target) {
        double[] v = values[j];
        int[] r = rows[j];
        if (r == null) {
            forRows(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    target[i] += c * v[i];
                }
            });
        } else {
            for (int k = 0; k < r.length; k++) {
                target[r[k]] += c * v[k];
            }
        }
    }

    /** {@code target_i = a_i * x_ij} (raw x) on the column's non-zero rows; other rows are left as they are. */
    void scatter(int j, double[] a, double[] target) {
        double[] v = values[j];
        int[] r = rows[j];
        if (r == null) {
            for (int i = 0; i < n; i++) {
                target[i] = a[i] * v[i];
            }
        } else {
            for (int k = 0; k < r.length; k++) {
                target[r[k]] = a[r[k]] * v[k];
            }
        }
    }

    /** {@code target_i = 0} on the column's non-zero rows. */
    void clear(int j, double[] target) {
        int[] r = rows[j];
        if (r == null) {
            java.util.Arrays.fill(target, 0);
        } else {
            for (int k : r) {
                target[k] = 0;
            }
        }
    }

    /**
     * Weighted inner products of standardized column k with every column: {@code sum_i a_i x~_ij x~_ik} for each
     * j (0 for excluded columns), from raw sums and the centring algebra.
     *
     * @param ax     {@code sum_i a_i x_ij} of each column
     * @param sumA   sum of a
     * @param work   n zeros on entry, n zeros on return
     */
    double[] inner(int k, double[] a, double[] ax, double sumA, double[] work) {
        double[] out = new double[p];
        scatter(k, a, work);
        for (int j = 0; j < p; j++) {
            if (ju[j]) {
                double raw = rawDot(j, work);
                out[j] = (raw - xm[k] * ax[j] - xm[j] * ax[k] + xm[j] * xm[k] * sumA) / (xs[j] * xs[k]);
            }
        }
        clear(k, work);
        return out;
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
