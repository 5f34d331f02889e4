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

    /**
     * Adds {@code weight * x x'} for a sparse row x (ascending indices) to a packed upper triangle.
     * This is the hot loop of every pass: nnz*(nnz+1)/2 multiply-adds, touching only the cells of the row's
     * non-zeros, so a categorical level costs one index, not a one-hot vector.
     */
    public static void addOuter(double[] packed, int[] base, int[] idx, double[] val, int from, int nnz,
                                double weight) {
        for (int a = 0; a < nnz; a++) {
            double wa = weight * val[from + a];
            int rowBase = base[idx[from + a]];
            for (int b = a; b < nnz; b++) {
                packed[rowBase + idx[from + b]] += wa * val[from + b];
            }
        }
    }

    /** x' M x for a sparse row x and a full row-major symmetric matrix M. */
    public static double quadraticForm(double[] full, int p, int[] idx, double[] val, int from, int nnz) {
        double s = 0;
        for (int a = 0; a < nnz; a++) {
            int row = idx[from + a] * p;
            double inner = 0;
            for (int b = 0; b < nnz; b++) {
                inner += full[row + idx[from + b]] * val[from + b];
            }
            s += val[from + a] * inner;
        }
        return s;
    }
}
