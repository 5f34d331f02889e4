package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import org.apache.commons.numbers.gamma.LogGamma;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of a Poisson log-link model compressed into cells: one cell per distinct design row x, holding sums of its
 * rows' counts y and exposures e = exp(offset). Within a cell every row has mean mu = e * exp(x'beta), so each
 * pass of the fitter (R's start from y + 0.1, every IRLS step, the deviance, the null deviance, Pearson's
 * chi-square, the dispersion, the AIC and the HC0/HC1 sandwich) is a function of these sums: state grows with
 * distinct cells, not rows ({@link CellPasses}). HC2 and HC3 weight each row by its own leverage, which differs
 * with its exposure, and cannot be had from sums.
 *
 * <p>The sums of a cell are {@link #STATS} doubles at the indices below; {@link #rowStats} gives one row's and
 * {@link #merge} adds two cells'.
 */
public final class CellTable {
    public static final int N = 0;
    public static final int Y = 1;
    public static final int E = 2;
    public static final int Y_LOG_Y = 3;
    public static final int Y_LOG_E = 4;
    public static final int LOG_E = 5;
    /** sum (y + 0.1) log(y + 0.1): R's Poisson start, mustart = y + 0.1. */
    public static final int Y01_LOG_Y01 = 6;
    public static final int Y_LOG_Y01 = 7;
    public static final int LGAMMA_Y1 = 8;
    public static final int Y2_OVER_E = 9;
    public static final int Y2 = 10;
    public static final int YE = 11;
    public static final int E2 = 12;
    public static final int MIN_E = 13;
    public static final int MAX_E = 14;
    /** Sums for inference when the last least squares was solved at the start (a fit of one iteration). */
    public static final int Y01_Y2_OVER_E2 = 15;
    public static final int Y01_Y_OVER_E = 16;
    public static final int Y01_SQ_Y2_OVER_E2 = 17;
    public static final int Y01_SQ_Y_OVER_E = 18;
    public static final int Y01_SQ = 19;
    public static final int STATS = 20;

    private final DesignMatrix cells;
    private final double[] sums;
    private final long rows;

    private CellTable(DesignMatrix cells, double[] sums) {
        this.cells = cells;
        this.sums = sums;
        long n = 0;
        for (int c = 0; c < cells.rows(); c++) {
            n += (long) sums[c * STATS + N];
        }
        this.rows = n;
    }

    /** One row per cell: the cell's design row (its response, weight and offset are unused). */
    public DesignMatrix cells() {
        return cells;
    }

    public int size() {
        return cells.rows();
    }

    /** The rows the cells hold. */
    public long rows() {
        return rows;
    }

    public double stat(int cell, int stat) {
        return sums[cell * STATS + stat];
    }

    /** The sums of one row with count {@code y} and offset log(e). */
    public static double[] rowStats(double y, double offset) {
        double e = Math.exp(offset);
        double y01 = y + 0.1;
        double[] s = new double[STATS];
        s[N] = 1;
        s[Y] = y;
        s[E] = e;
        s[Y_LOG_Y] = y > 0 ? y * Math.log(y) : 0;
        s[Y_LOG_E] = y * offset;
        s[LOG_E] = offset;
        s[Y01_LOG_Y01] = y01 * Math.log(y01);
        s[Y_LOG_Y01] = y * Math.log(y01);
        s[LGAMMA_Y1] = LogGamma.value(y + 1);
        s[Y2_OVER_E] = y * y / e;
        s[Y2] = y * y;
        s[YE] = y * e;
        s[E2] = e * e;
        s[MIN_E] = e;
        s[MAX_E] = e;
        s[Y01_Y2_OVER_E2] = y01 * y * y / (e * e);
        s[Y01_Y_OVER_E] = y01 * y / e;
        s[Y01_SQ_Y2_OVER_E2] = y01 * y01 * y * y / (e * e);
        s[Y01_SQ_Y_OVER_E] = y01 * y01 * y / e;
        s[Y01_SQ] = y01 * y01;
        return s;
    }

    /** Adds the cell sums {@code from[fromAt ..]} into {@code into[at ..]}. */
    public static void merge(double[] into, int at, double[] from, int fromAt) {
        for (int s = 0; s < STATS; s++) {
            into[at + s] = switch (s) {
                case MIN_E -> Math.min(into[at + s], from[fromAt + s]);
                case MAX_E -> Math.max(into[at + s], from[fromAt + s]);
                default -> into[at + s] + from[fromAt + s];
            };
        }
    }

    /** The cells of every row of {@code rows} (a matrix of the design's rows, with offsets if it has any). */
    public static CellTable compress(DesignMatrix rows, FittedDesign design) {
        Builder b = new Builder(design);
        int n = rows.rows();
        int[] idx = new int[rows.columns()];
        double[] val = new double[rows.columns()];
        for (int i = 0; i < n; i++) {
            int k = nonZeros(rows, i, idx, val);
            b.add(idx, val, k, rowStats(rows.y(i), rows.hasOffset() ? rows.offset(i) : 0), 0);
        }
        return b.build();
    }

    /** Row {@code i}'s non-zeros in ascending columns (dense and sparse entries merged) into idx/val; their count. */
    private static int nonZeros(DesignMatrix rows, int i, int[] idx, double[] val) {
        int[] dc = rows.denseColumns();
        double[] dense = rows.denseValues();
        int n = rows.rows();
        int k = 0;
        int a = 0;
        int sb = i * rows.stride();
        int s = 0;
        int nnz = rows.nonZeros()[i];
        while (a < dc.length || s < nnz) {
            boolean takeDense = s >= nnz || (a < dc.length && dc[a] < rows.indices()[sb + s]);
            if (takeDense) {
                double v = dense[a * n + i];
                if (v != 0) {
                    idx[k] = dc[a];
                    val[k++] = v;
                }
                a++;
            } else {
                if (rows.values()[sb + s] != 0) {
                    idx[k] = rows.indices()[sb + s];
                    val[k++] = rows.values()[sb + s];
                }
                s++;
            }
        }
        return k;
    }

    /**
     * The cells as bytes (e.g. a window's cells frozen for a distributed refit). Layout, version 1: version byte,
     * cell count int, then per cell its non-zero count int, (column int, value double) each and its
     * {@link #STATS} sums.
     */
    public byte[] toByteArray() {
        int p = cells.columns();
        int[] idx = new int[p];
        double[] val = new double[p];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(size());
            for (int c = 0; c < size(); c++) {
                int k = nonZeros(cells, c, idx, val);
                out.writeInt(k);
                for (int e = 0; e < k; e++) {
                    out.writeInt(idx[e]);
                    out.writeDouble(val[e]);
                }
                for (int st = 0; st < STATS; st++) {
                    out.writeDouble(sums[c * STATS + st]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The cells of {@link #toByteArray}, for rows of {@code design}. */
    public static CellTable heapify(byte[] bytes, FittedDesign design) {
        Builder b = new Builder(design);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != 1) {
                throw new IllegalArgumentException("cell table bytes of an unknown version");
            }
            double[] stats = new double[STATS];
            for (int c = in.readInt(); c > 0; c--) {
                int k = in.readInt();
                int[] idx = new int[k];
                double[] val = new double[k];
                for (int e = 0; e < k; e++) {
                    idx[e] = in.readInt();
                    val[e] = in.readDouble();
                }
                for (int st = 0; st < STATS; st++) {
                    stats[st] = in.readDouble();
                }
                b.add(idx, val, k, stats, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.build();
    }

    /** Collects cells; the same design row always lands in the same cell. */
    public static final class Builder {
        private final FittedDesign design;
        private final Map<Key, Integer> index = new HashMap<>();
        private final List<Key> keys = new ArrayList<>();
        private double[] sums = new double[16 * STATS];

        public Builder(FittedDesign design) {
            this.design = design;
        }

        /**
         * Adds sums (one row's, {@link #rowStats}, or a cell's) to the cell of the design row given by its non-zeros
         * {@code (idx, val)[0 .. k)}, ascending in column.
         */
        public void add(int[] idx, double[] val, int k, double[] stats, int statsAt) {
            Key key = Key.of(idx, val, k);
            Integer c = index.get(key);
            if (c == null) {
                c = keys.size();
                index.put(key, c);
                keys.add(key);
                if (sums.length < (c + 1) * STATS) {
                    sums = Arrays.copyOf(sums, sums.length * 2);
                }
                System.arraycopy(stats, statsAt, sums, c * STATS, STATS);
            } else {
                merge(sums, c * STATS, stats, statsAt);
            }
        }

        /** The cells in a canonical order (by design row), so the same rows give the same sums however they came. */
        public CellTable build() {
            Integer[] order = new Integer[keys.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> keys.get(a).compareTo(keys.get(b)));
            RowBuffer rows = RowBuffer.forDesign(design, false, false);
            double[] sorted = new double[order.length * STATS];
            for (int i = 0; i < order.length; i++) {
                Key k = keys.get(order[i]);
                rows.append(0, i, 0, 1, 0, k.idx, k.val, k.idx.length);
                System.arraycopy(sums, order[i] * STATS, sorted, i * STATS, STATS);
            }
            return new CellTable(rows.toMatrix(design.columnNames()), sorted);
        }
    }

    /** A design row's non-zeros, compared by content. */
    private record Key(int[] idx, double[] val) implements Comparable<Key> {
        static Key of(int[] idx, double[] val, int k) {
            return new Key(Arrays.copyOf(idx, k), Arrays.copyOf(val, k));
        }

        @Override public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(idx, other.idx) && Arrays.equals(val, other.val);
        }

        @Override public int hashCode() {
            return 31 * Arrays.hashCode(idx) + Arrays.hashCode(val);
        }

        @Override public int compareTo(Key o) {
            int c = Arrays.compare(idx, o.idx);
            if (c != 0) {
                return c;
            }
            for (int i = 0; i < val.length; i++) {
                c = Double.compare(val[i], o.val[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }
}
