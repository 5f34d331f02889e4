package io.streamglm.engine.design;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encoded design rows held between refits (a stream window's rows), compactly: per row its event time, response,
 * prior weight and offset (only when the model has them), the values of the dense columns (the intercept's
 * constant 1 is not stored) and the few sparse entries. {@link #toMatrix} gives the {@link DesignMatrix} the
 * fitter passes over; the same rows in the same order give the same matrix as {@code streamglm fit}.
 *
 * <p>Byte layout (little-endian), serial version 1:
 * <pre>
 * 0   4  magic 0x53475242 ("SGRB")     4  1  serial version (1)
 * 5   4  p        9   4  dense stored per row (d)     13  4  sparse stride (s)
 * 17  1  flags (1 = weights, 2 = offsets, 4 = intercept)   18  4  rows (n)
 * 22  4  number of dense columns (c), then c * 4 their column indices
 * ..  n * (8 time + 8 sequence + 8 y [+ 8 weight] [+ 8 offset] + 8 * d + 1 count + count * (4 index + 8 value))
 * </pre>
 */
public final class RowBuffer {
    static final int MAGIC = 0x53475242;
    public static final byte SERIAL_VERSION = 1;

    private final int p;
    private final int[] denseColumns;
    private final boolean intercept;
    private final int stored;
    private final int stride;
    private final boolean hasWeights;
    private final boolean hasOffsets;
    private final boolean[] isDense;
    private int size;
    private long[] time = new long[16];
    private long[] sequence = new long[16];
    private double[] y = new double[16];
    private double[] weight;
    private double[] offset;
    private double[] dense;
    private int[] idx;
    private double[] val;
    private int[] nnz = new int[16];

    /**
     * @param denseColumns the design's dense columns (see {@link FittedDesign#denseColumns()})
     * @param stride       the most sparse entries a row can have
     */
    public RowBuffer(int p, int[] denseColumns, boolean intercept, int stride, boolean hasWeights, boolean hasOffsets) {
        this(p, denseColumns.clone(), intercept, stride, hasWeights, hasOffsets, denseFlags(p, denseColumns));
    }

    /**
     * A buffer over a shape that is never modified: {@link #emptyCopy()} shares {@code denseColumns} and
     * {@code isDense} with its original, since a stream's state makes a new 16-row buffer for every 16 rows.
     */
    private RowBuffer(int p, int[] denseColumns, boolean intercept, int stride, boolean hasWeights, boolean hasOffsets,
                      boolean[] isDense) {
        this.p = p;
        this.denseColumns = denseColumns;
        this.intercept = intercept;
        this.stored = denseColumns.length - (intercept ? 1 : 0);
        this.stride = Math.max(1, stride);
        this.hasWeights = hasWeights;
        this.hasOffsets = hasOffsets;
        this.isDense = isDense;
        weight = hasWeights ? new double[16] : null;
        offset = hasOffsets ? new double[16] : null;
        dense = new double[16 * stored];
        idx = new int[16 * this.stride];
        val = new double[16 * this.stride];
    }

    private static boolean[] denseFlags(int p, int[] denseColumns) {
        boolean[] isDense = new boolean[p];
        for (int c : denseColumns) {
            isDense[c] = true;
        }
        return isDense;
    }

    /** An empty buffer for rows of a design. */
    public static RowBuffer forDesign(FittedDesign design, boolean hasWeights, boolean hasOffsets) {
        return new RowBuffer(design.columns(), design.denseColumns(), design.intercept(),
                design.maxSparseEntries(), hasWeights, hasOffsets);
    }

    /** An empty buffer for the rows of a model: weights and offsets stored when the spec has them. */
    public static RowBuffer forModel(io.streamglm.engine.spec.ModelSpec spec, FittedDesign design) {
        return forDesign(design, spec.weights() != null, spec.offset() != null || spec.exposure() != null);
    }

    /** An empty buffer shaped like this one. */
    public RowBuffer emptyCopy() {
        return new RowBuffer(p, denseColumns, intercept, stride, hasWeights, hasOffsets, isDense);
    }

    public int size() {
        return size;
    }

    /**
     * Makes room for {@code rows} rows in all, so that appending up to that many copies each row once: gathering a
     * million-row window from its 16-row chunks by doubling copied it about twice over and left the copies as
     * garbage.
     */
    public void reserve(int rows) {
        grow(rows);
    }

    /** An independent copy. */
    public RowBuffer copy() {
        RowBuffer c = emptyCopy();
        c.appendFrom(this, 0, size);
        return c;
    }

    /** The tie-breaker given at append for a row (e.g. source partition and offset). */
    public long sequence(int row) {
        return sequence[row];
    }

    public long time(int row) {
        return time[row];
    }

    /**
     * The rows in canonical order: by event time, then by the sequence given at append (e.g. source partition and
     * offset). Rows that reach an operator interleaved from several channels, or replayed after a recovery, give
     * the same matrix, hence the same bits. Rows already in that order give this buffer itself: callers read the
     * result and do not change it.
     */
    public RowBuffer sorted() {
        if (inCanonicalOrder()) {
            return this; // the common case of rows appended in time order (a replayed file, a live stream)
        }
        RowBuffer out = emptyCopy();
        out.grow(size);
        for (int i : canonicalOrder()) {
            out.appendFrom(this, i, i + 1);
        }
        return out;
    }

    private boolean inCanonicalOrder() {
        for (int i = 1; i < size; i++) {
            if (after(i - 1, i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code sorted().toMatrix(columnNames)} without the sorted copy: the rows go into the matrix in canonical
     * order straight from here. A window's million rows were copied one row at a time into a sorted buffer, and
     * that buffer then copied again into the matrix.
     */
    public DesignMatrix toSortedMatrix(java.util.List<String> columnNames) {
        return toMatrix(columnNames, inCanonicalOrder() ? null : canonicalOrder());
    }

    /**
     * Row indices by (time, sequence), ties in append order: a stable bottom-up merge sort on flat arrays, a merge
     * of two runs already in order being a copy. Sorting a million boxed indices with a comparator took most of a
     * second of a window's refit.
     */
    private int[] canonicalOrder() {
        int n = size;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                if (mid >= hi || !after(idx[mid - 1], idx[mid])) {
                    System.arraycopy(idx, lo, tmp, lo, hi - lo);
                    continue;
                }
                int a = lo;
                int b = mid;
                int out = lo;
                while (a < mid && b < hi) {
                    tmp[out++] = after(idx[a], idx[b]) ? idx[b++] : idx[a++]; // ties take the left run: stable
                }
                while (a < mid) {
                    tmp[out++] = idx[a++];
                }
                while (b < hi) {
                    tmp[out++] = idx[b++];
                }
            }
            int[] t = idx;
            idx = tmp;
            tmp = t;
        }
        return idx;
    }

    /** Whether row a comes after row b in canonical order. */
    private boolean after(int a, int b) {
        return time[a] != time[b] ? time[a] > time[b] : sequence[a] > sequence[b];
    }

    /**
     * Appends a row encoded as non-zeros (ascending columns, as {@link RecordEncoder} writes them).
     *
     * @param order a tie-breaker among rows of equal event time (e.g. partition and offset of the source record)
     */
    public void append(long eventTime, long order, double response, double priorWeight, double rowOffset,
                       int[] rowIdx, double[] rowVal, int count) {
        grow(size + 1);
        time[size] = eventTime;
        sequence[size] = order;
        y[size] = response;
        if (hasWeights) {
            weight[size] = priorWeight;
        }
        if (hasOffsets) {
            offset[size] = rowOffset;
        }
        int a = 0;
        int s = 0;
        int db = size * stored;
        int sb = size * stride;
        for (int e = 0; e < count; e++) {
            int c = rowIdx[e];
            if (isDense[c]) {
                if (!(intercept && c == 0)) {
                    // dense columns appear in every row, in column order; absent values stay 0
                    while (denseColumns[a + (intercept ? 1 : 0)] != c) {
                        a++;
                    }
                    dense[db + a++] = rowVal[e];
                }
            } else {
                idx[sb + s] = c;
                val[sb + s] = rowVal[e];
                s++;
            }
        }
        nnz[size] = s;
        size++;
    }

    /** Appends rows [from, to) of another buffer of the same shape. */
    public void appendFrom(RowBuffer other, int from, int to) {
        int n = to - from;
        grow(size + n);
        System.arraycopy(other.time, from, time, size, n);
        System.arraycopy(other.sequence, from, sequence, size, n);
        System.arraycopy(other.y, from, y, size, n);
        if (hasWeights) {
            System.arraycopy(other.weight, from, weight, size, n);
        }
        if (hasOffsets) {
            System.arraycopy(other.offset, from, offset, size, n);
        }
        System.arraycopy(other.dense, from * stored, dense, size * stored, n * stored);
        System.arraycopy(other.idx, from * stride, idx, size * stride, n * stride);
        System.arraycopy(other.val, from * stride, val, size * stride, n * stride);
        System.arraycopy(other.nnz, from, nnz, size, n);
        size += n;
    }

    /** The rows as a matrix for the fitter (dense columns column-major, the intercept filled in). */
    public DesignMatrix toMatrix(java.util.List<String> columnNames) {
        return toMatrix(columnNames, null);
    }

    /** The matrix of the rows in {@code order} (row r of the matrix is row order[r] here), or as stored if null. */
    private DesignMatrix toMatrix(java.util.List<String> columnNames, int[] order) {
        int d = denseColumns.length;
        double[] cm = new double[size * d];
        int a0 = 0;
        if (intercept) {
            Arrays.fill(cm, 0, size, 1.0);
            a0 = 1;
        }
        for (int r = 0; r < size; r++) {
            int i = order == null ? r : order[r];
            for (int a = 0; a < stored; a++) {
                cm[(a0 + a) * size + r] = dense[i * stored + a];
            }
        }
        if (order == null) {
            return new DesignMatrix(columnNames, size, denseColumns, cm, stride, Arrays.copyOf(idx, size * stride),
                    Arrays.copyOf(val, size * stride), Arrays.copyOf(nnz, size), Arrays.copyOf(y, size),
                    hasWeights ? Arrays.copyOf(weight, size) : null, hasOffsets ? Arrays.copyOf(offset, size) : null);
        }
        int[] sortedIdx = new int[size * stride];
        double[] sortedVal = new double[size * stride];
        int[] sortedNnz = new int[size];
        double[] sortedY = new double[size];
        double[] sortedWeight = hasWeights ? new double[size] : null;
        double[] sortedOffset = hasOffsets ? new double[size] : null;
        for (int r = 0; r < size; r++) {
            int i = order[r];
            System.arraycopy(idx, i * stride, sortedIdx, r * stride, stride);
            System.arraycopy(val, i * stride, sortedVal, r * stride, stride);
            sortedNnz[r] = nnz[i];
            sortedY[r] = y[i];
            if (hasWeights) {
                sortedWeight[r] = weight[i];
            }
            if (hasOffsets) {
                sortedOffset[r] = offset[i];
            }
        }
        return new DesignMatrix(columnNames, size, denseColumns, cm, stride, sortedIdx, sortedVal, sortedNnz, sortedY,
                sortedWeight, sortedOffset);
    }

    private void grow(int needed) {
        if (needed <= time.length) {
            return;
        }
        int cap = Math.max(needed, time.length * 2);
        time = Arrays.copyOf(time, cap);
        sequence = Arrays.copyOf(sequence, cap);
        y = Arrays.copyOf(y, cap);
        if (hasWeights) {
            weight = Arrays.copyOf(weight, cap);
        }
        if (hasOffsets) {
            offset = Arrays.copyOf(offset, cap);
        }
        dense = Arrays.copyOf(dense, cap * stored);
        idx = Arrays.copyOf(idx, cap * stride);
        val = Arrays.copyOf(val, cap * stride);
        nnz = Arrays.copyOf(nnz, cap);
    }

    /** Bytes of the numbers a row carries in the serial form, on average (for the state-size benchmark). */
    public double serializedBytesPerRow() {
        return size == 0 ? 0 : (double) (toByteArray().length - 26 - 4 * denseColumns.length) / size;
    }

    public byte[] toByteArray() {
        int bytes = 26 + 4 * denseColumns.length;
        int perRow = 8 + 8 + 8 + (hasWeights ? 8 : 0) + (hasOffsets ? 8 : 0) + 8 * stored + 1;
        long total = bytes + (long) perRow * size;
        for (int i = 0; i < size; i++) {
            total += 12L * nnz[i];
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(total)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).put(SERIAL_VERSION).putInt(p).putInt(stored).putInt(stride);
        buf.put((byte) ((hasWeights ? 1 : 0) | (hasOffsets ? 2 : 0) | (intercept ? 4 : 0))).putInt(size);
        buf.putInt(denseColumns.length);
        for (int c : denseColumns) {
            buf.putInt(c);
        }
        for (int i = 0; i < size; i++) {
            buf.putLong(time[i]).putLong(sequence[i]).putDouble(y[i]);
            if (hasWeights) {
                buf.putDouble(weight[i]);
            }
            if (hasOffsets) {
                buf.putDouble(offset[i]);
            }
            for (int a = 0; a < stored; a++) {
                buf.putDouble(dense[i * stored + a]);
            }
            buf.put((byte) nnz[i]);
            for (int k = 0; k < nnz[i]; k++) {
                buf.putInt(idx[i * stride + k]).putDouble(val[i * stride + k]);
            }
        }
        return buf.array();
    }

    /** Reads bytes written by {@link #toByteArray()} of this or an earlier serial version. */
    public static RowBuffer heapify(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt() != MAGIC) {
            throw new IllegalArgumentException("RowBuffer: bad magic");
        }
        byte version = buf.get();
        if (version < 1 || version > SERIAL_VERSION) {
            throw new IllegalArgumentException("RowBuffer: serial version " + version + " is not readable by this"
                    + " engine (it reads up to " + SERIAL_VERSION + "); upgrade streamglm");
        }
        int p = buf.getInt();
        int stored = buf.getInt();
        int stride = buf.getInt();
        byte flags = buf.get();
        int n = buf.getInt();
        int[] denseColumns = new int[buf.getInt()];
        for (int a = 0; a < denseColumns.length; a++) {
            denseColumns[a] = buf.getInt();
        }
        boolean intercept = (flags & 4) != 0;
        if (denseColumns.length - (intercept ? 1 : 0) != stored) {
            throw new IllegalArgumentException("RowBuffer: " + stored + " dense values per row do not fit a design with "
                    + denseColumns.length + " dense columns");
        }
        RowBuffer b = new RowBuffer(p, denseColumns, intercept, stride, (flags & 1) != 0, (flags & 2) != 0);
        b.grow(n);
        for (int i = 0; i < n; i++) {
            b.time[i] = buf.getLong();
            b.sequence[i] = buf.getLong();
            b.y[i] = buf.getDouble();
            if (b.hasWeights) {
                b.weight[i] = buf.getDouble();
            }
            if (b.hasOffsets) {
                b.offset[i] = buf.getDouble();
            }
            for (int a = 0; a < stored; a++) {
                b.dense[i * stored + a] = buf.getDouble();
            }
            int k = buf.get();
            b.nnz[i] = k;
            for (int e = 0; e < k; e++) {
                b.idx[i * stride + e] = buf.getInt();
                b.val[i * stride + e] = buf.getDouble();
            }
        }
        b.size = n;
        return b;
    }
}
