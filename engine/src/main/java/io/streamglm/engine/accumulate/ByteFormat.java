package io.streamglm.engine.accumulate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/** The accumulators' versioned little-endian byte layout: header, size, tallies, arrays of doubles. */
final class ByteFormat {
    /** Magic, serial version and the size field of the common layout. */
    private static final int HEADER_BYTES = 9;

    private ByteFormat() {
    }

    private static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeHeader(ByteBuffer buf, int magic, byte version) {
        buf.putInt(magic);
        buf.put(version);
    }

    private static void readHeader(ByteBuffer buf, int magic, byte maxVersion, String what) {
        if (buf.remaining() < 5) {
            throw new IllegalArgumentException(what + ": " + buf.remaining() + " bytes is too short for a header");
        }
        int m = buf.getInt();
        if (m != magic) {
            throw new IllegalArgumentException(what + ": bad magic 0x" + Integer.toHexString(m));
        }
        byte v = buf.get();
        if (v < 1 || v > maxVersion) {
            throw new IllegalArgumentException(what + ": serial version " + v + " is not readable by this engine"
                    + " (it reads up to " + maxVersion + "); upgrade streamglm");
        }
    }

    /**
     * The bytes of the accumulators' common layout: magic, serial version, an int size (p, or a count), the
     * tallies, then the arrays of doubles in order.
     */
    static byte[] write(int magic, byte version, int size, Tallies tallies, double[]... arrays) {
        int doubles = 0;
        for (double[] a : arrays) {
            doubles += a.length;
        }
        ByteBuffer buf = allocate(HEADER_BYTES + tallies.bytes() + 8 * doubles);
        writeHeader(buf, magic, version);
        buf.putInt(size);
        tallies.write(buf);
        for (double[] a : arrays) {
            putDoubles(buf, a);
        }
        return buf.array();
    }

    /**
     * Reads the common layout up to its arrays: checks the header, that the length is what the size implies
     * ({@code doubles(size)} doubles after the tallies), and reads the tallies.
     *
     * @param holds what a size is, for the message when the length does not match, e.g. {@code "p = 3"}
     * @return the buffer at the first array; the size is {@link #size(ByteBuffer)}
     */
    static ByteBuffer read(byte[] bytes, int magic, byte maxVersion, String what, Tallies tallies,
                           IntToLongFunction doubles, IntFunction<String> holds) {
        ByteBuffer buf = wrap(bytes);
        readHeader(buf, magic, maxVersion, what);
        int size = buf.getInt();
        if (size < 0 || bytes.length != HEADER_BYTES + tallies.bytes() + 8L * doubles.applyAsLong(size)) {
            throw new IllegalArgumentException(what + ": " + bytes.length + " bytes do not hold " + holds.apply(size));
        }
        tallies.read(buf);
        return buf;
    }

    /** The size field of a buffer of the common layout. */
    static int size(ByteBuffer buf) {
        return buf.getInt(5);
    }

    static void putDoubles(ByteBuffer buf, double[] a) {
        for (double d : a) {
            buf.putDouble(d);
        }
    }

    static double[] getDoubles(ByteBuffer buf, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = buf.getDouble();
        }
        return a;
    }
}
