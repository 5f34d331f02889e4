package io.streamglm.connectors.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A frozen map from byte strings (UTF-8 text) to small ints, looked up straight from a byte range of a record so
 * that a field name or a categorical level costs no String: an open-addressing table of hashes and codes, the
 * keys compared byte by byte. Built once per deserializer; filled with {@link #add} and read with {@link #find}.
 */
final class ByteKeys {
    static final int ABSENT = -1;

    private final byte[][] keys;
    private final int[] codes;
    private final int[] hashes;
    private final int mask;

    /** @param capacity the most keys that will be added */
    ByteKeys(int capacity) {
        int size = Integer.highestOneBit(Math.max(4, capacity * 4) - 1) << 1; // at most a quarter full
        keys = new byte[size][];
        codes = new int[size];
        hashes = new int[size];
        mask = size - 1;
    }

    /** Adds {@code key} with {@code code} unless it is there already; returns the code it has. */
    int add(String key, int code) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int h = hash(k, 0, k.length);
        int s = h & mask;
        while (keys[s] != null) {
            if (hashes[s] == h && Arrays.equals(keys[s], k)) {
                return codes[s];
            }
            s = (s + 1) & mask;
        }
        keys[s] = k;
        codes[s] = code;
        hashes[s] = h;
        return code;
    }

    /** The code of the key in {@code buf[off, off + len)}, or {@link #ABSENT}. */
    int find(byte[] buf, int off, int len) {
        int h = hash(buf, off, len);
        int s = h & mask;
        while (true) {
            byte[] k = keys[s];
            if (k == null) {
                return ABSENT;
            }
            if (hashes[s] == h && equal(k, buf, off, len)) {
                return codes[s];
            }
            s = (s + 1) & mask;
        }
    }

    /** A plain loop: keys are a few bytes, where Arrays.equals' vectorized mismatch costs more than it saves. */
    private static boolean equal(byte[] key, byte[] buf, int off, int len) {
        if (key.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (key[i] != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(byte[] buf, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + buf[i];
        }
        return h ^ (h >>> 16);
    }
}
