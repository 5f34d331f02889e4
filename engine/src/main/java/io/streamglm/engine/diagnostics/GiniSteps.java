package io.streamglm.engine.diagnostics;

import java.nio.ByteBuffer;

/**
 * The Lorenz curve behind a Gini, as steps: each distinct score (ascending) with the exposure weight and the
 * actual of its rows. The Gini takes tied scores as one step, so it depends on the rows only through these steps,
 * and the steps of two sets of rows merge into the steps of their union: shards send their steps and the
 * coordinator gets the Gini of the whole window exactly, without the rows. A step's sums are taken over its rows
 * from the highest index down, the order {@link Lift} has always summed them in, so one set of rows gives the
 * batch Gini to the last bit.
 */
final class GiniSteps {
    final double[] score;
    final double[] exposure;
    final double[] actual;

    private GiniSteps(double[] score, double[] exposure, double[] actual) {
        this.score = score;
        this.exposure = exposure;
        this.actual = actual;
    }

    /** The steps of rows with these scores, exposure weights and actuals. */
    static GiniSteps of(double[] score, double[] e, double[] a) {
        return of(score, ArgSort.ascending(score), e, a);
    }

    /** As above with the scores' ascending order given ({@link ArgSort#ascending}). */
    static GiniSteps of(double[] score, int[] ascending, double[] e, double[] a) {
        int n = score.length;
        int distinct = 0;
        for (int k = 0; k < n; k++) {
            if (k == 0 || score[ascending[k]] != score[ascending[k - 1]]) {
                distinct++;
            }
        }
        double[] s = new double[distinct];
        double[] de = new double[distinct];
        double[] da = new double[distinct];
        int step = distinct;
        int k = n - 1;
        while (k >= 0) {
            double key = score[ascending[k]];
            double dx = 0;
            double dy = 0;
            while (k >= 0 && score[ascending[k]] == key) {
                dx += e[ascending[k]];
                dy += a[ascending[k]];
                k--;
            }
            step--;
            s[step] = key;
            de[step] = dx;
            da[step] = dy;
        }
        return new GiniSteps(s, de, da);
    }

    int size() {
        return score.length;
    }

    /** The steps of both sets of rows: a merge by score, equal scores (by {@code ==}, as the Gini ties) summed. */
    GiniSteps merge(GiniSteps other) {
        int n = size() + other.size();
        double[] s = new double[n];
        double[] de = new double[n];
        double[] da = new double[n];
        int i = 0;
        int j = 0;
        int out = 0;
        while (i < size() || j < other.size()) {
            boolean left = j >= other.size() || (i < size() && Double.compare(score[i], other.score[j]) <= 0);
            double key = left ? score[i] : other.score[j];
            double e = left ? exposure[i] : other.exposure[j];
            double a = left ? actual[i] : other.actual[j];
            if (left) {
                i++;
            } else {
                j++;
            }
            if (out > 0 && s[out - 1] == key) {
                de[out - 1] += e;
                da[out - 1] += a;
            } else {
                s[out] = key;
                de[out] = e;
                da[out] = a;
                out++;
            }
        }
        return new GiniSteps(java.util.Arrays.copyOf(s, out), java.util.Arrays.copyOf(de, out),
                java.util.Arrays.copyOf(da, out));
    }

    /** 2 x the area under the Lorenz curve (highest score first, a step per distinct score) - 1. */
    double gini(double totalExposure, double totalActual) {
        double area = 0;
        double x = 0;
        double y = 0;
        for (int k = size() - 1; k >= 0; k--) {
            double x1 = x + exposure[k] / totalExposure;
            double y1 = y + actual[k] / totalActual;
            area += (x1 - x) * (y + y1) / 2;
            x = x1;
            y = y1;
        }
        return 2 * area - 1;
    }

    int byteSize() {
        return 4 + 24 * size();
    }

    void write(ByteBuffer out) {
        out.putInt(size());
        for (int k = 0; k < size(); k++) {
            out.putDouble(score[k]).putDouble(exposure[k]).putDouble(actual[k]);
        }
    }

    static GiniSteps read(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || (long) n * 24 > in.remaining()) {
            throw new IllegalArgumentException("summary sums: " + n + " Gini steps do not fit the bytes left");
        }
        double[] s = new double[n];
        double[] e = new double[n];
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            s[k] = in.getDouble();
            e[k] = in.getDouble();
            a[k] = in.getDouble();
        }
        return new GiniSteps(s, e, a);
    }
}
