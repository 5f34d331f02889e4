package io.streamglm.connectors.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * Dictionary codes for text seen as char ranges, without making a String per lookup: an open-addressing hash
 * table whose keys are compared char by char. Codes are given in first-seen order.
 */
final class CharDictionary {
    private int[] slots = new int[64];
    private int[] hashes = new int[64];
    private final List<char[]> keys = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    CharDictionary() {
        java.util.Arrays.fill(slots, -1);
    }

    int codeOf(char[] buf, int off, int len) {
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + buf[off + i];
        }
        int mask = slots.length - 1;
        int s = mix(h) & mask;
        while (true) {
            int code = slots[s];
            if (code < 0) {
                return insert(s, h, buf, off, len);
            }
            if (hashes[s] == h && equal(keys.get(code), buf, off, len)) {
                return code;
            }
            s = (s + 1) & mask;
        }
    }

    List<String> values() {
        return values;
    }

    private int insert(int slot, int h, char[] buf, int off, int len) {
        int code = keys.size();
        char[] key = java.util.Arrays.copyOfRange(buf, off, off + len);
        keys.add(key);
        values.add(new String(key));
        slots[slot] = code;
        hashes[slot] = h;
        if (keys.size() * 2 > slots.length) {
            grow();
        }
        return code;
    }

    private void grow() {
        int[] oldSlots = slots;
        int[] oldHashes = hashes;
        slots = new int[oldSlots.length * 2];
        hashes = new int[oldSlots.length * 2];
        java.util.Arrays.fill(slots, -1);
        int mask = slots.length - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] >= 0) {
                int s = mix(oldHashes[i]) & mask;
                while (slots[s] >= 0) {
                    s = (s + 1) & mask;
                }
                slots[s] = oldSlots[i];
                hashes[s] = oldHashes[i];
            }
        }
    }

    private static boolean equal(char[] key, char[] buf, int off, int len) {
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

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }
}
