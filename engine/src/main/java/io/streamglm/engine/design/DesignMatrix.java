package io.streamglm.engine.design;

import java.util.List;

/**
 * Training rows held for several IRLS passes: sparse design rows with a fixed stride (one slot per term plus the
 * intercept, unused slots past {@code nnz[i]}), the response, prior weights and offsets. Categorical columns
 * appear as one (index, 1.0) entry, never as one-hot vectors.
 *
 * <p>Row i's non-zeros are {@code idx[i*stride + k], val[i*stride + k]} for {@code k < nnz[i]}, ascending in
 * column index.
 */
public final class DesignMatrix {
    private final List<String> columnNames;
    private final int rows;
    private final int stride;
    private final int[] idx;
    private final double[] val;
    private final int[] nnz;
    private final double[] y;
    private final double[] weights;
    private final double[] offset;

    /**
     * @param weights prior weights, or null for all ones
     * @param offset  offsets (including log exposure), or null for all zeros
     */
    public DesignMatrix(List<String> columnNames, int rows, int stride, int[] idx, double[] val, int[] nnz,
                        double[] y, double[] weights, double[] offset) {
        this.columnNames = List.copyOf(columnNames);
        this.rows = rows;
        this.stride = stride;
        this.idx = idx;
        this.val = val;
        this.nnz = nnz;
        this.y = y;
        this.weights = weights;
        this.offset = offset;
        if (y.length != rows || nnz.length != rows || (weights != null && weights.length != rows)
                || (offset != null && offset.length != rows) || idx.length < (long) rows * stride
                || val.length < (long) rows * stride) {
            throw new IllegalArgumentException("inconsistent design matrix arrays for " + rows + " rows");
        }
    }

    /** Encodes every row of a table; the table must hold only levels the design knows. */
    public static DesignMatrix encode(TableEncoder encoder, int rows, double[] y, double[] weights, double[] offset) {
        FittedDesign design = encoder.design();
        int stride = Math.max(1, design.maxNonZeros());
        int[] idx = new int[Math.multiplyExact(rows, stride)];
        double[] val = new double[rows * stride];
        int[] nnz = new int[rows];
        int[] rowIdx = new int[stride];
        double[] rowVal = new double[stride];
        for (int i = 0; i < rows; i++) {
            int k = encoder.encode(i, rowIdx, rowVal);
            if (k < 0) {
                throw new IllegalStateException("training row " + (i + 1) + " has an unseen level");
            }
            System.arraycopy(rowIdx, 0, idx, i * stride, k);
            System.arraycopy(rowVal, 0, val, i * stride, k);
            nnz[i] = k;
        }
        return new DesignMatrix(design.columnNames(), rows, stride, idx, val, nnz, y, weights, offset);
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

    public int stride() {
        return stride;
    }

    /** Column indices, row-major with {@link #stride()}; shared, do not modify. */
    public int[] indices() {
        return idx;
    }

    /** Values, row-major with {@link #stride()}; shared, do not modify. */
    public double[] values() {
        return val;
    }

    /** Non-zeros per row; shared, do not modify. */
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

    /** x_i . beta (no offset). */
    public double dot(int row, double[] beta) {
        int base = row * stride;
        double s = 0;
        for (int k = 0, n = nnz[row]; k < n; k++) {
            s += val[base + k] * beta[idx[base + k]];
        }
        return s;
    }
}
