package io.streamglm.engine.design;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;

import java.util.List;

/**
 * Training rows held for several IRLS passes, split the way the accumulators consume them:
 * <ul>
 *   <li>dense values: the columns present in every row (intercept, numeric terms), column-major in
 *       {@link #denseValues()} (column a of row i at {@code a * rows + i}), so that the accumulators' inner
 *       loops run down contiguous columns;</li>
 *   <li>sparse entries: everything else (a categorical level is one (column, 1.0) entry, never a one-hot
 *       vector), at most {@code stride} per row, row-major with {@link #nonZeros()} used per row, ascending
 *       in column;</li>
 *   <li>the response, prior weights (null: all one) and offsets (null: all zero, log exposure included).</li>
 * </ul>
 */
public final class DesignMatrix {
    private final List<String> columnNames;
    private final int rows;
    private final int[] denseColumns;
    private final double[] dense;
    private final int stride;
    private final int[] idx;
    private final double[] val;
    private final int[] nnz;
    private final double[] y;
    private final double[] weights;
    private final double[] offset;

    public DesignMatrix(List<String> columnNames, int rows, int[] denseColumns, double[] dense, int stride, int[] idx,
                        double[] val, int[] nnz, double[] y, double[] weights, double[] offset) {
        this.columnNames = List.copyOf(columnNames);
        this.rows = rows;
        this.denseColumns = denseColumns.clone();
        this.dense = dense;
        this.stride = stride;
        this.idx = idx;
        this.val = val;
        this.nnz = nnz;
        this.y = y;
        this.weights = weights;
        this.offset = offset;
        if (y.length != rows || nnz.length != rows || (weights != null && weights.length != rows)
                || (offset != null && offset.length != rows) || idx.length < (long) rows * stride
                || val.length < (long) rows * stride || dense.length < (long) rows * denseColumns.length) {
            throw new IllegalArgumentException("inconsistent design matrix arrays for " + rows + " rows");
        }
    }

    /**
     * Encodes every row of a training table column by column: numeric terms are copied (or multiplied) whole;
     * other dense terms (expressions, encodings, natural splines) fill their dense columns row by row; sparse
     * terms (categoricals, B-splines and their products) add their few entries per row. The table must hold only
     * levels the design knows (true of the data the design was fitted on); target encodings use ordered
     * statistics of {@code y}.
     */
    public static DesignMatrix encode(FittedDesign design, DataTable data, double[] y, double[] weights,
                                      double[] offset) {
        int rows = data.rows();
        int[] denseColumns = design.denseColumns();
        int d = denseColumns.length;
        int[] densePosition = new int[design.columns()];
        java.util.Arrays.fill(densePosition, -1);
        for (int a = 0; a < d; a++) {
            densePosition[denseColumns[a]] = a;
        }
        int stride = Math.max(1, design.maxSparseEntries());
        double[] dense = new double[Math.multiplyExact(rows, d)];
        int[] idx = new int[Math.multiplyExact(rows, stride)];
        double[] val = new double[rows * stride];
        int[] nnz = new int[rows];
        if (design.intercept()) {
            java.util.Arrays.fill(dense, 0, rows, 1.0);
        }
        TableEncoder encoder = null;
        int width = Math.max(1, design.maxNonZeros());
        int[] rowIdx = new int[width];
        double[] rowVal = new double[width];
        List<DesignTerm> terms = design.terms();
        for (int t = 0; t < terms.size(); t++) {
            DesignTerm term = terms.get(t);
            if (isNumericOnly(term)) {
                int col = densePosition[term.firstColumn()] * rows;
                double[] first = data.numeric(term.components().get(0).column());
                System.arraycopy(first, 0, dense, col, rows);
                for (int c = 1; c < term.components().size(); c++) {
                    double[] next = data.numeric(term.components().get(c).column());
                    for (int i = 0; i < rows; i++) {
                        dense[col + i] *= next[i];
                    }
                }
                continue;
            }
            if (term.components().stream().allMatch(c -> c instanceof NumericComponent || c instanceof FactorComponent)) {
                addSparseTerm(term, data, rows, stride, idx, val, nnz);
                continue;
            }
            if (encoder == null) {
                encoder = new TableEncoder(design, data, y);
            }
            for (int i = 0; i < rows; i++) {
                int k = encoder.termEntries(t, i, rowIdx, rowVal, 0);
                for (int e = 0; e < k; e++) {
                    if (!Double.isFinite(rowVal[e])) {
                        throw DataException.at(data.source(), i + 1, null, "term '" + term.label()
                                + "' gives " + rowVal[e] + " for this row", "check the term's inputs (e.g. log of"
                                + " a value <= 0) or remove the row");
                    }
                    int a = densePosition[rowIdx[e]];
                    if (a >= 0) {
                        dense[a * rows + i] = rowVal[e];
                    } else {
                        idx[i * stride + nnz[i]] = rowIdx[e];
                        val[i * stride + nnz[i]] = rowVal[e];
                        nnz[i]++;
                    }
                }
            }
        }
        return new DesignMatrix(design.columnNames(), rows, denseColumns, dense, stride, idx, val, nnz, y, weights,
                offset);
    }

    private static boolean isNumericOnly(DesignTerm t) {
        return t.components().stream().allMatch(c -> c instanceof NumericComponent);
    }

    private static void addSparseTerm(DesignTerm t, DataTable data, int rows, int stride, int[] idx, double[] val,
                                      int[] nnz) {
        List<DesignComponent> comps = t.components();
        int c = comps.size();
        double[][] numeric = new double[c][];
        int[][] codes = new int[c][];
        int[][] localOfCode = new int[c][];
        int[] strides = new int[c];
        int s = 1;
        for (int j = 0; j < c; j++) {
            DesignComponent comp = comps.get(j);
            strides[j] = s;
            s *= comp.width();
            if (comp instanceof NumericComponent n) {
                numeric[j] = data.numeric(n.column());
            } else if (comp instanceof FactorComponent f) {
                var col = data.categorical(f.column());
                codes[j] = col.codes();
                var index = f.levelIndex();
                int[] map = new int[col.dictionary().size()];
                for (int code = 0; code < map.length; code++) {
                    Integer level = index.get(col.dictionary().get(code));
                    if (level == null) {
                        throw new IllegalStateException("training data has level '" + col.dictionary().get(code)
                                + "' of " + f.name() + " that the design does not know");
                    }
                    map[code] = f.localIndex(level);
                }
                localOfCode[j] = map;
            }
        }
        int first = t.firstColumn();
        for (int i = 0; i < rows; i++) {
            int local = 0;
            double v = 1.0;
            boolean present = true;
            for (int j = 0; j < c; j++) {
                if (numeric[j] != null) {
                    v *= numeric[j][i];
                } else {
                    int li = localOfCode[j][codes[j][i]];
                    if (li < 0) {
                        present = false;
                        break;
                    }
                    local += li * strides[j];
                }
            }
            if (present) {
                int k = nnz[i]++;
                idx[i * stride + k] = first + local;
                val[i * stride + k] = v;
            }
        }
    }

    /** The heap its arrays take, in bytes (what a replay worker counts against its memory budget). */
    public long heapBytes() {
        long bytes = 8L * dense.length + 4L * idx.length + 8L * val.length + 4L * nnz.length + 8L * y.length;
        return bytes + (weights == null ? 0 : 8L * weights.length) + (offset == null ? 0 : 8L * offset.length);
    }

    public List<String> columnNames() {
        return columnNames;
    }

    public int columns() {
        return columnNames.size();
    }

    public int rows() {
        return rows;
    }

    /** The design columns every row has, ascending; a copy. */
    public int[] denseColumns() {
        return denseColumns.clone();
    }

    public int denseCount() {
        return denseColumns.length;
    }

    /** Dense values, column-major: column a of row i at {@code a * rows() + i}; shared, do not modify. */
    public double[] denseValues() {
        return dense;
    }

    public int stride() {
        return stride;
    }

    /** Sparse column indices, row-major with {@link #stride()}; shared, do not modify. */
    public int[] indices() {
        return idx;
    }

    /** Sparse values, row-major with {@link #stride()}; shared, do not modify. */
    public double[] values() {
        return val;
    }

    /** Sparse entries per row; shared, do not modify. */
    public int[] nonZeros() {
        return nnz;
    }

    public double y(int row) {
        return y[row];
    }

    public double weight(int row) {
        return weights == null ? 1.0 : weights[row];
    }

    public double offset(int row) {
        return offset == null ? 0.0 : offset[row];
    }

    public boolean hasOffset() {
        return offset != null;
    }

    public boolean hasWeights() {
        return weights != null;
    }

    /**
     * The same rows without design columns [from, to) (a term dropped, as {@code drop1} refits it): the other
     * columns keep their order and are renumbered; response, weights and offsets are shared.
     */
    public DesignMatrix withoutColumns(int from, int to) {
        int width = to - from;
        List<String> names = new java.util.ArrayList<>(columnNames.subList(0, from));
        names.addAll(columnNames.subList(to, columnNames.size()));
        int keptDense = 0;
        for (int c : denseColumns) {
            keptDense += c >= from && c < to ? 0 : 1;
        }
        int[] newDense = new int[keptDense];
        double[] newValues = new double[Math.multiplyExact(rows, keptDense)];
        int a2 = 0;
        for (int a = 0; a < denseColumns.length; a++) {
            int c = denseColumns[a];
            if (c >= from && c < to) {
                continue;
            }
            newDense[a2] = c < from ? c : c - width;
            System.arraycopy(dense, a * rows, newValues, a2 * rows, rows);
            a2++;
        }
        int[] newIdx = new int[idx.length];
        double[] newVal = new double[val.length];
        int[] newNnz = new int[rows];
        for (int i = 0; i < rows; i++) {
            int base = i * stride;
            int k2 = 0;
            for (int k = 0; k < nnz[i]; k++) {
                int c = idx[base + k];
                if (c >= from && c < to) {
                    continue;
                }
                newIdx[base + k2] = c < from ? c : c - width;
                newVal[base + k2] = val[base + k];
                k2++;
            }
            newNnz[i] = k2;
        }
        return new DesignMatrix(names, rows, newDense, newValues, stride, newIdx, newVal, newNnz, y, weights, offset);
    }

    /** x_i . beta (no offset). */
    public double dot(int row, double[] beta) {
        int d = denseColumns.length;
        double s = 0;
        for (int a = 0; a < d; a++) {
            s += dense[a * rows + row] * beta[denseColumns[a]];
        }
        int base = row * stride;
        for (int k = 0, n = nnz[row]; k < n; k++) {
            s += val[base + k] * beta[idx[base + k]];
        }
        return s;
    }

    /**
     * Adds x_i . beta (no offset) to {@code eta[i - from]} for rows [from, from + len): dense columns as
     * column-wise multiply-adds, then the sparse entries row by row.
     */
    public void addLinearPredictor(int from, int len, double[] beta, double[] eta) {
        for (int a = 0; a < denseColumns.length; a++) {
            double b = beta[denseColumns[a]];
            if (b == 0) {
                continue;
            }
            int col = a * rows + from;
            for (int i = 0; i < len; i++) {
                eta[i] += b * dense[col + i];
            }
        }
        for (int i = 0; i < len; i++) {
            int base = (from + i) * stride;
            double s = 0;
            for (int k = 0, n = nnz[from + i]; k < n; k++) {
                s += val[base + k] * beta[idx[base + k]];
            }
            eta[i] += s;
        }
    }

    /**
     * Sets {@code q[i - from] = x_i' M x_i} for rows [from, from + len) and a full row-major p x p symmetric M;
     * {@code work} holds at least len doubles.
     */
    public void quadraticForms(int from, int len, double[] m, double[] q, double[] work) {
        int p = columns();
        int d = denseColumns.length;
        java.util.Arrays.fill(q, 0, len, 0.0);
        final int tile = 256; // keeps the tile's dense columns in L1 across the d * d multiply-adds
        for (int t0 = 0; t0 < len; t0 += tile) {
            int tl = Math.min(tile, len - t0);
            for (int a = 0; a < d; a++) {
                int ra = denseColumns[a] * p;
                java.util.Arrays.fill(work, 0, tl, 0.0);
                for (int b = 0; b < d; b++) {
                    double mab = m[ra + denseColumns[b]];
                    if (mab == 0) {
                        continue;
                    }
                    int col = b * rows + from + t0;
                    for (int i = 0; i < tl; i++) {
                        work[i] += mab * dense[col + i];
                    }
                }
                int col = a * rows + from + t0;
                for (int i = 0; i < tl; i++) {
                    q[t0 + i] += dense[col + i] * work[i];
                }
            }
        }
        for (int i = 0; i < len; i++) {
            int base = (from + i) * stride;
            int k = nnz[from + i];
            if (k == 0) {
                continue;
            }
            double s = 0;
            for (int a = 0; a < d; a++) {
                int ra = denseColumns[a] * p;
                double inner = 0;
                for (int t = 0; t < k; t++) {
                    inner += m[ra + idx[base + t]] * val[base + t];
                }
                s += 2 * dense[a * rows + from + i] * inner;
            }
            for (int u = 0; u < k; u++) {
                int ru = idx[base + u] * p;
                double inner = 0;
                for (int t = 0; t < k; t++) {
                    inner += m[ru + idx[base + t]] * val[base + t];
                }
                s += val[base + u] * inner;
            }
            q[i] += s;
        }
    }
}
