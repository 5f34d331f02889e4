package io.streamglm.engine.accumulate;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A fixed number of running sums over rows, for passes that need only scalars (theta's score and
 * information, the negative binomial log-likelihood).
 *
 * <p>Byte layout (little-endian), serial version 1: magic 0x53475353 ("SGSS") 4 bytes, version 1 byte,
 * count k 4 bytes, rows 8 bytes, then k doubles.
 */
public final class ScalarSums {
    static final int MAGIC = 0x53475353;
    static final byte SERIAL_VERSION = 1;

    /** The one counter. */
    private static final int ROWS = 0;

    private final double[] sums;
    private final Tallies tallies;

    public ScalarSums(int k) {
        this(new double[k], new Tallies(1, 0));
    }

    private ScalarSums(double[] sums, Tallies tallies) {
        this.sums = sums;
        this.tallies = tallies;
    }

    public void add(int i, double value) {
        sums[i] += value;
    }

    public void countRow() {
        tallies.counts[ROWS]++;
    }

    public double get(int i) {
        return sums[i];
    }

    public long rows() {
        return tallies.counts[ROWS];
    }

    public void merge(ScalarSums o) {
        if (o.sums.length != sums.length) {
            throw new IllegalArgumentException("cannot merge " + sums.length + " and " + o.sums.length + " sums");
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += o.sums[i];
        }
        tallies.merge(o.tallies);
    }

    public byte[] toByteArray() {
        return ByteFormat.write(MAGIC, SERIAL_VERSION, sums.length, tallies, sums);
    }

    public static ScalarSums heapify(byte[] bytes) {
        Tallies tallies = new Tallies(1, 0);
        ByteBuffer buf = ByteFormat.read(bytes, MAGIC, SERIAL_VERSION, "ScalarSums", tallies, k -> k,
                k -> k + " sums");
        return new ScalarSums(ByteFormat.getDoubles(buf, ByteFormat.size(buf)), tallies);
    }

    @Override public boolean equals(Object o) {
        return o instanceof ScalarSums s && s.tallies.sameAs(tallies) && Arrays.equals(s.sums, sums);
    }

    @Override public int hashCode() {
        return Arrays.hashCode(sums);
    }
}
