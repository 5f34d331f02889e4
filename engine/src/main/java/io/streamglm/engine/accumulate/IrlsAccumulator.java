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
    /** The counters and sums, in the order of the layout. */
    private static final int ROWS = 0;
    private static final int ACTIVE_ROWS = 1;
    private static final int GOOD_ROWS = 2;
    private static final int INVALID_ROWS = 3;
    private static final int BAD_VARIANCE_ROWS = 4;
    private static final int DEVIANCE = 0;
    private static final int SUM_WEIGHTS = 1;
    private static final int SUM_WEIGHTED_Y = 2;

    private final int p;
    private final Gram xtwx;
    private final double[] xtwz;
    private final Tallies tallies;

    /** An accumulator for rows given entirely as sparse entries. */
    public IrlsAccumulator(int p) {
        this(p, new int[0]);
    }

    /** @param denseColumns the design columns present in every row, ascending (see {@link #addWeighted}) */
    public IrlsAccumulator(int p, int[] denseColumns) {
        this(p, new Gram(p, denseColumns), new double[p], new Tallies(5, 3));
    }

    private IrlsAccumulator(int p, Gram xtwx, double[] xtwz, Tallies tallies) {
        this.p = p;
        this.xtwx = xtwx;
        this.xtwz = xtwz;
        this.tallies = tallies;
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
        tallies.counts[GOOD_ROWS]++;
    }

    /**
     * Adds rows {@code from + i}, i < len, of {@code m} with working weights {@code w[i]} (0 for rows that do
     * not enter the least squares) and working responses {@code z[i]}; {@code scratch} holds len doubles.
     */
    public void addRows(DesignMatrix m, int from, int len, double[] w, double[] z, double[] scratch) {
        long good = 0;
        for (int i = 0; i < len; i++) {
            if (w[i] > 0) {
                good++;
            }
            scratch[i] = w[i] * z[i];
        }
        tallies.counts[GOOD_ROWS] += good;
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
        tallies.counts[ROWS]++;
        if (priorWeight > 0) {
            tallies.counts[ACTIVE_ROWS]++;
        }
        tallies.sums[DEVIANCE] += devResid;
        tallies.sums[SUM_WEIGHTS] += priorWeight;
        tallies.sums[SUM_WEIGHTED_Y] += priorWeight * y;
    }

    /**
     * Records {@code n} rows of prior weight 1 at once (a cell of rows): their deviance residuals sum to
     * {@code deviance}, their responses to {@code sumY}.
     */
    public void addObservations(long n, double sumY, double deviance) {
        tallies.counts[ROWS] += n;
        tallies.counts[ACTIVE_ROWS] += n;
        tallies.sums[DEVIANCE] += deviance;
        tallies.sums[SUM_WEIGHTS] += n;
        tallies.sums[SUM_WEIGHTED_Y] += sumY;
    }

    /** Counts rows that entered X'WX as part of a cell added as one weighted row (which counted once). */
    public void addGoodRows(long n) {
        tallies.counts[GOOD_ROWS] += n;
    }

    public void addInvalidRow() {
        tallies.counts[INVALID_ROWS]++;
    }

    public void addInvalidRows(long n) {
        tallies.counts[INVALID_ROWS] += n;
    }

    public void addBadVarianceRow() {
        tallies.counts[BAD_VARIANCE_ROWS]++;
    }

    public void addBadVarianceRows(long n) {
        tallies.counts[BAD_VARIANCE_ROWS] += n;
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
        tallies.merge(other.tallies);
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
        return tallies.counts[ROWS];
    }

    public long activeRows() {
        return tallies.counts[ACTIVE_ROWS];
    }

    public long goodRows() {
        return tallies.counts[GOOD_ROWS];
    }

    public long invalidRows() {
        return tallies.counts[INVALID_ROWS];
    }

    public long badVarianceRows() {
        return tallies.counts[BAD_VARIANCE_ROWS];
    }

    public double deviance() {
        return tallies.sums[DEVIANCE];
    }

    public double sumWeights() {
        return tallies.sums[SUM_WEIGHTS];
    }

    public double sumWeightedY() {
        return tallies.sums[SUM_WEIGHTED_Y];
    }

    public byte[] toByteArray() {
        return ByteFormat.write(MAGIC, SERIAL_VERSION, p, tallies, xtwx.packed(), xtwz);
    }

    /** Reads bytes written by {@link #toByteArray()} of this or an earlier serial version. */
    public static IrlsAccumulator heapify(byte[] bytes) {
        Tallies tallies = new Tallies(5, 3);
        ByteBuffer buf = ByteFormat.read(bytes, MAGIC, SERIAL_VERSION, "IrlsAccumulator", tallies,
                p -> PackedUpper.size(p) + (long) p, p -> "p = " + p);
        int p = ByteFormat.size(buf);
        Gram xtwx = new Gram(p, new int[0], ByteFormat.getDoubles(buf, PackedUpper.size(p)));
        return new IrlsAccumulator(p, xtwx, ByteFormat.getDoubles(buf, p), tallies);
    }

    @Override public boolean equals(Object o) {
        return o instanceof IrlsAccumulator a && a.p == p && a.tallies.sameAs(tallies)
                && Arrays.equals(a.xtwxPacked(), xtwxPacked()) && Arrays.equals(a.xtwz, xtwz);
    }

    @Override public int hashCode() {
        return Arrays.hashCode(xtwxPacked()) * 31 + Arrays.hashCode(xtwz) + Long.hashCode(tallies.counts[ROWS]);
    }
}
