package io.streamglm.engine.design.spline;

/**
 * The Householder QR of R's {@code qr()} (LINPACK {@code dqrdc2}, no pivoting needed for full-rank input) and
 * {@code qr.qty} ({@code dqrsl}), ported for the natural-spline constraint projection: the signs of the
 * Householder vectors decide the signs of R's {@code ns()} columns, so they must be R's.
 */
final class LinpackQr {
    private final int n;
    private final int p;
    /** Column-major n x p: R below the diagonal holds the Householder vectors, as LINPACK. */
    private final double[] x;
    private final double[] qraux;

    /** @param columnMajor an n x p matrix, column-major (not modified) */
    LinpackQr(double[] columnMajor, int n, int p) {
        this.n = n;
        this.p = p;
        this.x = columnMajor.clone();
        this.qraux = new double[p];
        decompose();
    }

    private double at(int i, int j) {
        return x[j * n + i];
    }

    private void set(int i, int j, double v) {
        x[j * n + i] = v;
    }

    private void decompose() {
        double[] norms = new double[p];
        for (int j = 0; j < p; j++) {
            qraux[j] = norm(j, 0);
            norms[j] = qraux[j];
        }
        int lup = Math.min(n, p);
        for (int l = 0; l < lup; l++) {
            if (l == n - 1) {
                break;
            }
            double nrmxl = norm(l, l);
            if (nrmxl == 0.0) {
                continue;
            }
            if (at(l, l) != 0.0) {
                nrmxl = Math.copySign(nrmxl, at(l, l));
            }
            for (int i = l; i < n; i++) {
                set(i, l, at(i, l) * (1.0 / nrmxl));
            }
            set(l, l, 1.0 + at(l, l));
            for (int j = l + 1; j < p; j++) {
                double dot = 0;
                for (int i = l; i < n; i++) {
                    dot += at(i, l) * at(i, j);
                }
                double t = -dot / at(l, l);
                for (int i = l; i < n; i++) {
                    set(i, j, at(i, j) + t * at(i, l));
                }
                if (qraux[j] != 0.0) {
                    double tt = 1.0 - Math.pow(Math.abs(at(l, j)) / qraux[j], 2);
                    tt = Math.max(tt, 0.0);
                    if (Math.abs(tt) < 1e-6) {
                        qraux[j] = norm(j, l + 1);
                        norms[j] = qraux[j];
                    } else {
                        qraux[j] = qraux[j] * Math.sqrt(tt);
                    }
                }
            }
            qraux[l] = at(l, l);
            set(l, l, -nrmxl);
        }
    }

    /** Euclidean norm of column j from row {@code from}, scaled as BLAS dnrm2 to avoid overflow. */
    private double norm(int j, int from) {
        double scale = 0;
        double ssq = 1;
        for (int i = from; i < n; i++) {
            double v = at(i, j);
            if (v != 0) {
                double abs = Math.abs(v);
                if (scale < abs) {
                    ssq = 1 + ssq * (scale / abs) * (scale / abs);
                    scale = abs;
                } else {
                    ssq += (abs / scale) * (abs / scale);
                }
            }
        }
        return scale * Math.sqrt(ssq);
    }

    /** Q' y for a vector of length n (R's {@code qr.qty}); y is not modified. */
    double[] qty(double[] y) {
        double[] qty = y.clone();
        int ju = Math.min(p, n - 1);
        for (int j = 0; j < ju; j++) {
            if (qraux[j] == 0.0) {
                continue;
            }
            double diag = at(j, j);
            set(j, j, qraux[j]);
            double dot = 0;
            for (int i = j; i < n; i++) {
                dot += at(i, j) * qty[i];
            }
            double t = -dot / at(j, j);
            for (int i = j; i < n; i++) {
                qty[i] += t * at(i, j);
            }
            set(j, j, diag);
        }
        return qty;
    }
}
