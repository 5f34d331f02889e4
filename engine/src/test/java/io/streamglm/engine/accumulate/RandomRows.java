package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random sparse design rows for property tests: an intercept, dense columns and two one-hot blocks. */
final class RandomRows {
    static final int DENSE = 3;
    static final int LEVELS_A = 4;
    static final int LEVELS_B = 6;
    static final int P = 1 + DENSE + (LEVELS_A - 1) + (LEVELS_B - 1);

    private RandomRows() {
    }

    static DesignMatrix poissonRows(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 1 + DENSE;
        int stride = 2;
        double[] dense = new double[n * d];
        int[] idx = new int[n * stride];
        double[] val = new double[n * stride];
        int[] nnz = new int[n];
        double[] y = new double[n];
        double[] w = new double[n];
        double[] off = new double[n];
        for (int i = 0; i < n; i++) {
            int k = 0;
            int base = i * stride;
            dense[i] = 1; // column-major: column a of row i at a * n + i
            for (int a = 0; a < DENSE; a++) {
                dense[(1 + a) * n + i] = r.nextDouble(-2, 2);
            }
            int a = r.nextInt(LEVELS_A);
            if (a > 0) {
                idx[base + k] = DENSE + a;
                val[base + k] = 1;
                k++;
            }
            int b = r.nextInt(LEVELS_B);
            if (b > 0) {
                idx[base + k] = DENSE + LEVELS_A - 1 + b;
                val[base + k] = 1;
                k++;
            }
            nnz[i] = k;
            y[i] = r.nextInt(6);
            w[i] = r.nextInt(4) == 0 ? 0.0 : r.nextDouble(0.5, 3);
            off[i] = r.nextDouble(-0.5, 0.5);
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < P; j++) {
            names.add("c" + j);
        }
        int[] denseColumns = new int[d];
        for (int a = 0; a < d; a++) {
            denseColumns[a] = a;
        }
        return new DesignMatrix(names, n, denseColumns, dense, stride, idx, val, nnz, y, w, off);
    }

    static double[] beta(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] b = new double[P];
        for (int j = 0; j < P; j++) {
            b[j] = r.nextDouble(-0.3, 0.3);
        }
        return b;
    }
}
