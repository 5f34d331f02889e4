package io.streamglm.engine.design.spline;

/**
 * R's {@code splines::splineDesign} for one x: the non-zero B-spline basis functions of a given order (or their
 * derivatives) at x, ported from R's {@code splines.c} ({@code set_cursor}, {@code diff_table},
 * {@code basis_funcs}, {@code evaluate}) so that values and boundary conventions match R to the last bits.
 */
public final class SplineDesign {
    private final double[] knots;
    private final int order;
    private final int ordm1;
    private final double[] ldel;
    private final double[] rdel;
    private final double[] a;
    private int curs;
    private boolean boundary;

    /** @param knots the full, sorted knot sequence (boundary knots repeated {@code order} times) */
    public SplineDesign(double[] knots, int order) {
        if (order < 1) {
            throw new IllegalArgumentException("order must be >= 1");
        }
        this.knots = knots.clone();
        this.order = order;
        this.ordm1 = order - 1;
        this.ldel = new double[order];
        this.rdel = new double[order];
        this.a = new double[order];
    }

    /** Number of basis functions: knots - order. */
    public int columns() {
        return knots.length - order;
    }

    public int order() {
        return order;
    }

    /**
     * Writes the {@code order} basis values (derivative {@code deriv}) at x into {@code out[0 .. order)} and
     * returns the column of the first one, or -1 when x lies outside the knots' span (R's NaN rows).
     */
    public int evaluate(double x, int deriv, double[] out) {
        setCursor(x);
        int io = curs - order;
        if (io < 0 || io > knots.length) {
            return -1;
        }
        if (deriv > 0) {
            if (deriv >= order) {
                throw new IllegalArgumentException("derivs = " + deriv + " >= ord = " + order);
            }
            for (int ii = 0; ii < order; ii++) {
                java.util.Arrays.fill(a, 0.0);
                a[ii] = 1;
                out[ii] = evaluateDerivative(x, deriv);
            }
        } else {
            basisFuncs(x, out);
        }
        return io;
    }

    /** The full row of {@link #columns()} values at x (zeros outside the non-zero block). */
    public double[] row(double x, int deriv) {
        double[] vals = new double[order];
        double[] full = new double[columns()];
        int io = evaluate(x, deriv, vals);
        if (io < 0) {
            java.util.Arrays.fill(full, Double.NaN);
            return full;
        }
        for (int j = 0; j < order; j++) {
            if (io + j < full.length) {
                full[io + j] = vals[j];
            }
        }
        return full;
    }

    private void setCursor(double x) {
        curs = -1;
        boundary = false;
        for (int i = 0; i < knots.length; i++) {
            if (knots[i] >= x) {
                curs = i;
            }
            if (knots[i] > x) {
                break;
            }
        }
        if (curs > knots.length - order) {
            int lastLegit = knots.length - order;
            if (x == knots[lastLegit]) {
                boundary = true;
                curs = lastLegit;
            }
        }
    }

    private void diffTable(double x, int ndiff) {
        for (int i = 0; i < ndiff; i++) {
            rdel[i] = knots[curs + i] - x;
            ldel[i] = x - knots[curs - (i + 1)];
        }
    }

    private void basisFuncs(double x, double[] b) {
        diffTable(x, ordm1);
        b[0] = 1.0;
        for (int j = 1; j <= ordm1; j++) {
            double saved = 0.0;
            for (int r = 0; r < j; r++) {
                double den = rdel[r] + ldel[j - 1 - r];
                if (den != 0) {
                    double term = b[r] / den;
                    b[r] = saved + rdel[r] * term;
                    saved = ldel[j - 1 - r] * term;
                } else {
                    if (r != 0 || rdel[r] != 0.0) {
                        b[r] = saved;
                    }
                    saved = 0.0;
                }
            }
            b[j] = saved;
        }
    }

    private double evaluateDerivative(double x, int nder) {
        int ti = curs;
        int outer = ordm1;
        if (boundary && nder == ordm1) {
            return 0.0;
        }
        while (nder-- > 0) {
            int lpt = ti - outer;
            for (int k = 0; k < outer; k++) {
                a[k] = outer * (a[k + 1] - a[k]) / (knots[lpt + k + outer] - knots[lpt + k]);
            }
            outer--;
        }
        diffTable(x, outer);
        while (outer-- > 0) {
            int lpt = outer;
            int rpt = 0;
            for (int k = 0; k <= outer; k++) {
                a[k] = (a[k + 1] * ldel[lpt] + a[k] * rdel[rpt]) / (rdel[rpt] + ldel[lpt]);
                lpt--;
                rpt++;
            }
        }
        return a[0];
    }
}
