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

    private final double[] sums;
    private long rows;

    public ScalarSums(int k) {
        this.sums = new double[k];
    }

    public void add(int i, double value) {
        sums[i] += value;
    }

    public void countRow() {
        rows++;
    }

    public double get(int i) {
        return sums[i];
    }

    public long rows() {
        return rows;
    }

    public void merge(ScalarSums o) {
        if (o.sums.length != sums.length) {
            throw new IllegalArgumentException("cannot merge " + sums.length + " and " + o.sums.length + " sums");
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += o.sums[i];
        }
        rows += o.rows;
    }

    public byte[] toByteArray() {
        ByteBuffer buf = ByteFormat.allocate(17 + 8 * sums.length);
        ByteFormat.writeHeader(buf, MAGIC, SERIAL_VERSION);
        buf.putInt(sums.length);
        buf.putLong(rows);
        ByteFormat.putDoubles(buf, sums);
        return buf.array();
    }

    public static ScalarSums heapify(byte[] bytes) {
        ByteBuffer buf = ByteFormat.wrap(bytes);
        ByteFormat.readHeader(buf, MAGIC, SERIAL_VERSION, "ScalarSums");
        int k = buf.getInt();
        if (k < 0 || bytes.length != 17 + 8L * k) {
            throw new IllegalArgumentException("ScalarSums: " + bytes.length + " bytes do not hold " + k + " sums");
        }
        ScalarSums s = new ScalarSums(k);
        s.rows = buf.getLong();
        System.arraycopy(ByteFormat.getDoubles(buf, k), 0, s.sums, 0, k);
        return s;
    }

    @Override public boolean equals(Object o) {
        return o instanceof ScalarSums s && s.rows == rows && Arrays.equals(s.sums, sums);
    }

    @Override public int hashCode() {
        return Arrays.hashCode(sums);
    }
}
