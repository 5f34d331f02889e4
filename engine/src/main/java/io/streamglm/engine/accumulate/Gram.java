package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;

import java.util.Arrays;

/**
 * A running sum of w x x' (the upper triangle of a symmetric p x p matrix) for rows split into a dense part (the
 * columns present in every row: intercept, numeric terms) and a sparse part (categorical levels, one entry per
 * term). The three blocks are accumulated differently:
 * <ul>
 *   <li>dense x dense: over a chunk of rows, one dot product per pair of dense columns, down contiguous
 *       column-major memory with four independent partial sums;</li>
 *   <li>dense x sparse: a compact d x p buffer, row by row;</li>
 *   <li>sparse x sparse: straight into the packed matrix (a few cells per row).</li>
 * </ul>
 * {@link #fold()} adds the buffers into the packed matrix, which is the logical value.
 */
final class Gram {
    /** Rows per tile: a tile's dense columns (a dozen or so) stay in the second-level cache. */
    private static final int TILE_ROWS = 1024;
    private static final ThreadLocal<double[]> TILE_BUFFER = ThreadLocal.withInitial(() -> new double[0]);

    private final int p;
    private final int[] denseColumns;
    private final int d;
    private final int[] base;
    private final int[] denseBase;
    private final double[] packed;
    private final double[] dd;
    private final double[] ds;
    private boolean dirty;

    Gram(int p, int[] denseColumns) {
        this(p, denseColumns, new double[PackedUpper.size(p)]);
    }

    Gram(int p, int[] denseColumns, double[] packed) {
        this.p = p;
        this.denseColumns = denseColumns;
        this.d = denseColumns.length;
        this.base = PackedUpper.rowBases(p);
        this.denseBase = PackedUpper.rowBases(d);
        this.packed = packed;
        this.dd = new double[PackedUpper.size(d)];
        this.ds = new double[d * p];
    }

    int[] denseColumns() {
        return denseColumns;
    }

    /**
     * Adds {@code w[i] x x'} for rows {@code from + i}, i < len, of {@code m} (whose dense columns must be this
     * sum's). Rows with weight 0 add nothing.
     */
    void addRows(DesignMatrix m, int from, int len, double[] w) {
        addRows(m, from, len, new Gram[]{this}, new double[][]{w});
    }

    /**
     * Adds rows to several sums at once, each with its own weights (e.g. the three sandwich meats), walking the
     * data once: each tile of rows is read from memory once and then served from cache to every sum.
     */
    static void addRows(DesignMatrix m, int from, int len, Gram[] grams, double[][] weights) {
        int d = m.denseCount();
        double[] tile = TILE_BUFFER.get();
        if (tile.length < TILE_ROWS * d) {
            tile = new double[TILE_ROWS * d];
            TILE_BUFFER.set(tile);
        }
        double[] dense = m.denseValues();
        int n = m.rows();
        for (int t0 = 0; t0 < len; t0 += TILE_ROWS) {
            int tl = Math.min(TILE_ROWS, len - t0);
            // The cross block reads a row's dense values together: transpose the tile to row-major once.
            for (int a = 0; a < d; a++) {
                int col = a * n + from + t0;
                for (int i = 0; i < tl; i++) {
                    tile[i * d + a] = dense[col + i];
                }
            }
            for (int g = 0; g < grams.length; g++) {
                grams[g].addTile(m, from + t0, tl, weights[g], t0, tile);
            }
        }
    }

    /** Rows [rowFrom, rowFrom + tl) with weights w[wFrom ..]; {@code tile} holds their dense values row-major. */
    private void addTile(DesignMatrix m, int rowFrom, int tl, double[] w, int wFrom, double[] tile) {
        dirty = true;
        double[] dense = m.denseValues();
        int n = m.rows();
        for (int a0 = 0; a0 < d; a0 += 3) {
            for (int b0 = a0; b0 < d; b0 += 3) {
                addDenseBlock(dense, n, rowFrom, tl, w, wFrom, a0, b0);
            }
        }
        int[] idx = m.indices();
        double[] val = m.values();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        for (int i = 0; i < tl; i++) {
            int row = rowFrom + i;
            int k = nnz[row];
            double wi = w[wFrom + i];
            if (k == 0 || wi == 0) {
                continue;
            }
            int sb = row * stride;
            int tb = i * d;
            for (int s = 0; s < k; s++) {
                int c = idx[sb + s];
                double wv = wi * val[sb + s];
                int cross = c * d;
                for (int a = 0; a < d; a++) {
                    ds[cross + a] += wv * tile[tb + a];
                }
                int rowBase = base[c];
                for (int t = s; t < k; t++) {
                    packed[rowBase + idx[sb + t]] += wv * val[sb + t];
                }
            }
        }
    }

    /**
     * One 3 x 3 block of the dense Gram matrix (columns a0..a0+2 against b0..b0+2) over the rows, with the nine
     * sums in registers: six loads feed nine multiply-adds, where a dot product per pair would need two loads
     * per multiply-add. Columns past d are clamped to d - 1 and their sums dropped.
     */
    private void addDenseBlock(double[] dense, int n, int from, int len, double[] w, int wFrom, int a0, int b0) {
        int ca0 = a0 * n + from;
        int ca1 = Math.min(a0 + 1, d - 1) * n + from;
        int ca2 = Math.min(a0 + 2, d - 1) * n + from;
        int cb0 = b0 * n + from;
        int cb1 = Math.min(b0 + 1, d - 1) * n + from;
        int cb2 = Math.min(b0 + 2, d - 1) * n + from;
        double s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0;
        for (int i = 0; i < len; i++) {
            double wi = w[wFrom + i];
            double xa0 = wi * dense[ca0 + i];
            double xa1 = wi * dense[ca1 + i];
            double xa2 = wi * dense[ca2 + i];
            double xb0 = dense[cb0 + i];
            double xb1 = dense[cb1 + i];
            double xb2 = dense[cb2 + i];
            s00 += xa0 * xb0;
            s01 += xa0 * xb1;
            s02 += xa0 * xb2;
            s10 += xa1 * xb0;
            s11 += xa1 * xb1;
            s12 += xa1 * xb2;
            s20 += xa2 * xb0;
            s21 += xa2 * xb1;
            s22 += xa2 * xb2;
        }
        put(a0, b0, s00);
        put(a0, b0 + 1, s01);
        put(a0, b0 + 2, s02);
        put(a0 + 1, b0, s10);
        put(a0 + 1, b0 + 1, s11);
        put(a0 + 1, b0 + 2, s12);
        put(a0 + 2, b0, s20);
        put(a0 + 2, b0 + 1, s21);
        put(a0 + 2, b0 + 2, s22);
    }

    /** Adds a block sum to dense cell (a, b) when it is a real upper-triangle cell. */
    private void put(int a, int b, double sum) {
        if (a <= b && b < d) {
            dd[denseBase[a] + b] += sum;
        }
    }

    /** Adds w x x' for one row given as dense values {@code dense[denseFrom ..]} and sparse entries. */
    void addRow(double[] dense, int denseFrom, int[] idx, double[] val, int sparseFrom, int k, double w) {
        dirty = true;
        for (int a = 0; a < d; a++) {
            double wa = w * dense[denseFrom + a];
            int rowBase = denseBase[a];
            for (int b = a; b < d; b++) {
                dd[rowBase + b] += wa * dense[denseFrom + b];
            }
        }
        for (int s = 0; s < k; s++) {
            int c = idx[sparseFrom + s];
            double wv = w * val[sparseFrom + s];
            int cross = c * d;
            for (int a = 0; a < d; a++) {
                ds[cross + a] += wv * dense[denseFrom + a];
            }
            int rowBase = base[c];
            for (int t = s; t < k; t++) {
                packed[rowBase + idx[sparseFrom + t]] += wv * val[sparseFrom + t];
            }
        }
    }

    /** sum of x[i] * y[yFrom + i] with four independent partial sums (fixed order, so reproducible). */
    static double dot(double[] x, double[] y, int yFrom, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += x[i] * y[yFrom + i];
            s1 += x[i + 1] * y[yFrom + i + 1];
            s2 += x[i + 2] * y[yFrom + i + 2];
            s3 += x[i + 3] * y[yFrom + i + 3];
        }
        for (; i < len; i++) {
            s0 += x[i] * y[yFrom + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Moves the compact buffers into the packed matrix (the logical value does not change). */
    void fold() {
        if (!dirty) {
            return;
        }
        for (int a = 0; a < d; a++) {
            int ca = denseColumns[a];
            for (int b = a; b < d; b++) {
                int cb = denseColumns[b];
                packed[base[Math.min(ca, cb)] + Math.max(ca, cb)] += dd[denseBase[a] + b];
            }
        }
        for (int c = 0; c < p; c++) {
            int cross = c * d;
            for (int a = 0; a < d; a++) {
                double v = ds[cross + a];
                if (v != 0) {
                    int ca = denseColumns[a];
                    packed[base[Math.min(ca, c)] + Math.max(ca, c)] += v;
                }
            }
        }
        Arrays.fill(dd, 0);
        Arrays.fill(ds, 0);
        dirty = false;
    }

    /** Adds another sum into this one. */
    void merge(Gram other) {
        if (Arrays.equals(denseColumns, other.denseColumns)) {
            add(dd, other.dd);
            add(ds, other.ds);
            add(packed, other.packed);
            dirty |= other.dirty;
        } else {
            other.fold();
            add(packed, other.packed);
        }
    }

    /** The packed upper triangle (folded first). */
    double[] packed() {
        fold();
        return packed;
    }

    private static void add(double[] into, double[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
