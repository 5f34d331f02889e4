package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sufficient statistics of one IRLS pass at fixed coefficients: X'WX (packed upper triangle), X'Wz, the
 * deviance at the pass's means, and counters for R's checks. Partial accumulators from shards or chunks are
 * combined with {@link #merge}; merging in a fixed order (by shard or chunk id) makes results bit-reproducible.
 *
 * <p>Byte layout (little-endian), serial version 1:
 * <pre>
 * offset  size        field
 * 0       4           magic 0x53474941 ("SGIA")
 * 4       1           serial version (1)
 * 5       4           p, number of design columns
 * 9       8           rows            rows seen
 * 17      8           activeRows      rows with positive prior weight (R's n.ok)
 * 25      8           goodRows        rows with positive working weight
 * 33      8           invalidRows     rows whose eta or mu is outside the link's or family's domain
 * 41      8           badVarianceRows rows with positive prior weight and V(mu) zero or NaN
 * 49      8           deviance        sum of deviance residuals
 * 57      8           sumWeights      sum of prior weights
 * 65      8           sumWeightedY    sum of prior weight * y
 * 73      8*p(p+1)/2  X'WX, packed upper triangle by rows
 * ..      8*p         X'Wz
 * </pre>
 */
public final class IrlsAccumulator {
    static final int MAGIC = 0x53474941;
    static final byte SERIAL_VERSION = 1;
    private static final int HEADER_BYTES = 73;

    private final int p;
    private final Gram xtwx;
    private final double[] xtwz;
    private long rows;
    private long activeRows;
    private long goodRows;
    private long invalidRows;
    private long badVarianceRows;
    private double deviance;
    private double sumWeights;
    private double sumWeightedY;

    /** An accumulator for rows given entirely as sparse entries. */
    public IrlsAccumulator(int p) {
        this(p, new int[0]);
    }

    /** @param denseColumns the design columns present in every row, ascending (see {@link #addWeighted}) */
    public IrlsAccumulator(int p, int[] denseColumns) {
        this(p, new Gram(p, denseColumns), new double[p]);
    }

    private IrlsAccumulator(int p, Gram xtwx, double[] xtwz) {
        this.p = p;
        this.xtwx = xtwx;
        this.xtwz = xtwz;
    }

    public int columns() {
        return p;
    }

    /**
     * Adds one row to X'WX and X'Wz with working weight {@code w} and working response {@code z}. The row's
     * values in the dense columns are {@code dense[denseFrom ..]} (one per dense column, in order); its other
     * non-zeros are the {@code k} entries {@code (idx, val)[sparseFrom ..]}, ascending in column.
     */
    public void addWeighted(double[] dense, int denseFrom, int[] idx, double[] val, int sparseFrom, int k,
                            double w, double z) {
        xtwx.addRow(dense, denseFrom, idx, val, sparseFrom, k, w);
        double wz = w * z;
        int[] dc = xtwx.denseColumns();
        for (int a = 0; a < dc.length; a++) {
            xtwz[dc[a]] += wz * dense[denseFrom + a];
        }
        for (int s = 0; s < k; s++) {
            xtwz[idx[sparseFrom + s]] += wz * val[sparseFrom + s];
        }
        goodRows++;
    }

    /**
     * Adds rows {@code from + i}, i < len, of {@code m} with working weights {@code w[i]} (0 for rows that do
     * not enter the least squares) and working responses {@code z[i]}; {@code scratch} holds len doubles.
     */
    public void addRows(DesignMatrix m, int from, int len, double[] w, double[] z, double[] scratch) {
        for (int i = 0; i < len; i++) {
            if (w[i] > 0) {
                goodRows++;
            }
            scratch[i] = w[i] * z[i];
        }
        int[] dc = xtwx.denseColumns();
        double[] dense = m.denseValues();
        int n = m.rows();
        for (int a = 0; a < dc.length; a++) {
            xtwz[dc[a]] += Gram.dot(scratch, dense, a * n + from, len);
        }
        int[] idx = m.indices();
        double[] val = m.values();
        int[] nnz = m.nonZeros();
        int stride = m.stride();
        for (int i = 0; i < len; i++) {
            int sb = (from + i) * stride;
            double wz = scratch[i];
            for (int s = 0, k = nnz[from + i]; s < k; s++) {
                xtwz[idx[sb + s]] += wz * val[sb + s];
            }
        }
        xtwx.addRows(m, from, len, w);
    }

    /** Adds a row of the intercept-only model (p = 1). */
    public void addIntercept(double w, double z) {
        addWeighted(ONE, 0, NO_INDEX, NO_DENSE, 0, 0, w, z);
    }

    private static final double[] ONE = {1.0};
    private static final int[] NO_INDEX = new int[0];

    /** Adds a row given entirely as sparse entries (no dense columns). */
    public void addWeighted(int[] idx, double[] val, int from, int nnz, double w, double z) {
        addWeighted(NO_DENSE, 0, idx, val, from, nnz, w, z);
    }

    private static final double[] NO_DENSE = new double[0];

    /** Records a row's deviance residual and prior weight, whatever its working weight. */
    public void addObservation(double y, double priorWeight, double devResid) {
        rows++;
        if (priorWeight > 0) {
            activeRows++;
        }
        deviance += devResid;
        sumWeights += priorWeight;
        sumWeightedY += priorWeight * y;
    }

    /**
     * Records {@code n} rows of prior weight 1 at once (a cell of rows): their deviance residuals sum to
     * {@code deviance}, their responses to {@code sumY}.
     */
    public void addObservations(long n, double sumY, double deviance) {
        rows += n;
        activeRows += n;
        this.deviance += deviance;
        sumWeights += n;
        sumWeightedY += sumY;
    }

    /** Counts rows that entered X'WX as part of a cell added as one weighted row (which counted once). */
    public void addGoodRows(long n) {
        goodRows += n;
    }

    public void addInvalidRow() {
        invalidRows++;
    }

    public void addInvalidRows(long n) {
        invalidRows += n;
    }

    public void addBadVarianceRow() {
        badVarianceRows++;
    }

    public void addBadVarianceRows(long n) {
        badVarianceRows += n;
    }

    /** Adds {@code other} into this accumulator. */
    public void merge(IrlsAccumulator other) {
        if (other.p != p) {
            throw new IllegalArgumentException("cannot merge accumulators of " + p + " and " + other.p + " columns");
        }
        xtwx.merge(other.xtwx);
        for (int i = 0; i < p; i++) {
            xtwz[i] += other.xtwz[i];
        }
        rows += other.rows;
        activeRows += other.activeRows;
        goodRows += other.goodRows;
        invalidRows += other.invalidRows;
        badVarianceRows += other.badVarianceRows;
        deviance += other.deviance;
        sumWeights += other.sumWeights;
        sumWeightedY += other.sumWeightedY;
    }

    /** X'WX packed upper triangle; live view, do not modify. */
    public double[] xtwxPacked() {
        return xtwx.packed();
    }

    /** X'Wz; live view, do not modify. */
    public double[] xtwz() {
        return xtwz;
    }

    public long rows() {
        return rows;
    }

    public long activeRows() {
        return activeRows;
    }

    public long goodRows() {
        return goodRows;
    }

    public long invalidRows() {
        return invalidRows;
    }

    public long badVarianceRows() {
        return badVarianceRows;
    }

    public double deviance() {
        return deviance;
    }

    public double sumWeights() {
        return sumWeights;
    }

    public double sumWeightedY() {
        return sumWeightedY;
    }

    public byte[] toByteArray() {
        double[] packed = xtwx.packed();
        ByteBuffer buf = ByteFormat.allocate(HEADER_BYTES + 8 * (packed.length + p));
        ByteFormat.writeHeader(buf, MAGIC, SERIAL_VERSION);
        buf.putInt(p);
        buf.putLong(rows);
        buf.putLong(activeRows);
        buf.putLong(goodRows);
        buf.putLong(invalidRows);
        buf.putLong(badVarianceRows);
        buf.putDouble(deviance);
        buf.putDouble(sumWeights);
        buf.putDouble(sumWeightedY);
        ByteFormat.putDoubles(buf, packed);
        ByteFormat.putDoubles(buf, xtwz);
        return buf.array();
    }

    /** Reads bytes written by {@link #toByteArray()} of this or an earlier serial version. */
    public static IrlsAccumulator heapify(byte[] bytes) {
        ByteBuffer buf = ByteFormat.wrap(bytes);
        ByteFormat.readHeader(buf, MAGIC, SERIAL_VERSION, "IrlsAccumulator");
        int p = buf.getInt();
        if (p < 0 || bytes.length != HEADER_BYTES + 8L * (PackedUpper.size(p) + p)) {
            throw new IllegalArgumentException("IrlsAccumulator: " + bytes.length + " bytes do not hold p = " + p);
        }
        long rows = buf.getLong();
        long active = buf.getLong();
        long good = buf.getLong();
        long invalid = buf.getLong();
        long badVar = buf.getLong();
        double dev = buf.getDouble();
        double sw = buf.getDouble();
        double swy = buf.getDouble();
        IrlsAccumulator acc = new IrlsAccumulator(p, new Gram(p, new int[0], ByteFormat.getDoubles(buf, PackedUpper.size(p))),
                ByteFormat.getDoubles(buf, p));
        acc.rows = rows;
        acc.activeRows = active;
        acc.goodRows = good;
        acc.invalidRows = invalid;
        acc.badVarianceRows = badVar;
        acc.deviance = dev;
        acc.sumWeights = sw;
        acc.sumWeightedY = swy;
        return acc;
    }

    @Override public boolean equals(Object o) {
        return o instanceof IrlsAccumulator a && a.p == p && a.rows == rows && a.activeRows == activeRows && a.goodRows == goodRows
                && a.invalidRows == invalidRows && a.badVarianceRows == badVarianceRows
                && Double.compare(a.deviance, deviance) == 0 && Double.compare(a.sumWeights, sumWeights) == 0
                && Double.compare(a.sumWeightedY, sumWeightedY) == 0 && Arrays.equals(a.xtwxPacked(), xtwxPacked())
                && Arrays.equals(a.xtwz, xtwz);
    }

    @Override public int hashCode() {
        return Arrays.hashCode(xtwxPacked()) * 31 + Arrays.hashCode(xtwz) + Long.hashCode(rows);
    }
}
