package io.streamglm.engine.accumulate;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The scalar part of an accumulator: a fixed number of counters and running sums, merged by adding and written
 * in order (counters, then sums, 8 bytes each) right after the accumulator's size field. {@link IrlsAccumulator},
 * {@link InferenceAccumulator} and {@link ScalarSums} name their scalars by index into these arrays, so that one
 * piece of code merges, writes, reads and compares them.
 */
final class Tallies {
    /** Counters by index; the owning accumulator adds to them in its hot loops. */
    final long[] counts;
    /** Sums by index, likewise. */
    final double[] sums;

    Tallies(int counts, int sums) {
        this.counts = new long[counts];
        this.sums = new double[sums];
    }

    /** Their size in the byte format. */
    int bytes() {
        return 8 * (counts.length + sums.length);
    }

    /** Adds another accumulator's tallies (of the same shape) into these. */
    void merge(Tallies o) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += o.counts[i];
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += o.sums[i];
        }
    }

    void write(ByteBuffer buf) {
        for (long c : counts) {
            buf.putLong(c);
        }
        ByteFormat.putDoubles(buf, sums);
    }

    void read(ByteBuffer buf) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buf.getLong();
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] = buf.getDouble();
        }
    }

    /** Equal counters and bit-equal sums. */
    boolean sameAs(Tallies o) {
        return Arrays.equals(counts, o.counts) && Arrays.equals(sums, o.sums);
    }
}
