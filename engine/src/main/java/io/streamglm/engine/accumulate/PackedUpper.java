package io.streamglm.engine.accumulate;

/**
 * Index arithmetic for a symmetric p x p matrix stored as its packed upper triangle, row by row:
 * element (i, j) with i <= j lives at {@code rowBase(i) + j}.
 */
public final class PackedUpper {
    private PackedUpper() {
    }

    public static int size(int p) {
        return Math.toIntExact((long) p * (p + 1) / 2);
    }

    /** For each row i, the offset such that (i, j), j >= i, is at {@code base[i] + j}. */
    public static int[] rowBases(int p) {
        int[] base = new int[p];
        for (int i = 0; i < p; i++) {
            base[i] = i * p - i * (i - 1) / 2 - i;
        }
        return base;
    }

    /** Unpacks into a full row-major p x p array. */
    public static double[] toFull(double[] packed, int p) {
        double[] full = new double[p * p];
        int k = 0;
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                full[i * p + j] = packed[k];
                full[j * p + i] = packed[k];
                k++;
            }
        }
        return full;
    }
}
