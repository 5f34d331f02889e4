package io.streamglm.engine.accumulate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Shared header handling for the accumulators' versioned little-endian byte formats. */
final class ByteFormat {
    private ByteFormat() {
    }

    static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void writeHeader(ByteBuffer buf, int magic, byte version) {
        buf.putInt(magic);
        buf.put(version);
    }

    static void readHeader(ByteBuffer buf, int magic, byte maxVersion, String what) {
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
