package io.streamglm.engine.diagnostics;

/**
 * Row indices ordered by a key, without boxing: a stable bottom-up merge sort of (key, index) pairs held in flat
 * arrays. Sorting a million boxed indices with a comparator took seconds; this takes a fraction of one.
 */
public final class ArgSort {
    private ArgSort() {
    }

    /** Indices 0 .. n-1 in ascending order of {@code key} (NaN last), ties in index order. */
    public static int[] ascending(double[] key) {
        int n = key.length;
        double[] k = key.clone();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        double[] k2 = new double[n];
        int[] idx2 = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                if (mid < hi && Double.compare(k[mid - 1], k[mid]) <= 0) {
                    // the two runs are already in order (common: rows in score order): the merge is a copy
                    System.arraycopy(k, lo, k2, lo, hi - lo);
                    System.arraycopy(idx, lo, idx2, lo, hi - lo);
                    continue;
                }
                int a = lo;
                int b = mid;
                int out = lo;
                while (a < mid && b < hi) {
                    // Double.compare orders NaN last and keeps the sort stable on ties (<= takes the left run).
                    if (Double.compare(k[a], k[b]) <= 0) {
                        k2[out] = k[a];
                        idx2[out++] = idx[a++];
                    } else {
                        k2[out] = k[b];
                        idx2[out++] = idx[b++];
                    }
                }
                while (a < mid) {
                    k2[out] = k[a];
                    idx2[out++] = idx[a++];
                }
                while (b < hi) {
                    k2[out] = k[b];
                    idx2[out++] = idx[b++];
                }
            }
            double[] tk = k;
            k = k2;
            k2 = tk;
            int[] ti = idx;
            idx = idx2;
            idx2 = ti;
        }
        return idx;
    }
}
