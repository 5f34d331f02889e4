package io.streamglm.engine.design.spline;

import java.util.Arrays;

/**
 * R's {@code splines::bs} and {@code splines::ns} bases (without intercept, R's default), frozen by their knots:
 * the same x always gives the same row, in fitting, streams and scoring. Values beyond the boundary knots are
 * extrapolated as R's {@code predict} does: bs by a Taylor expansion at a pivot just inside the boundary, ns
 * linearly from the boundary.
 */
public final class SplineBasis {
    /** Which basis. */
    public enum Kind { BS, NS }

    private final Kind kind;
    private final int degree;
    private final double[] interiorKnots;
    private final double lower;
    private final double upper;
    private final SplineDesign design;
    private final double[] allKnots;
    /** ns only: the QR of the transposed second-derivative constraints. */
    private final LinpackQr constraints;
    private final int width;

    public SplineBasis(Kind kind, int degree, double[] interiorKnots, double lower, double upper) {
        if (!(lower < upper)) {
            throw new IllegalArgumentException("boundary knots must satisfy lower < upper, got " + lower + ", " + upper);
        }
        this.kind = kind;
        this.degree = kind == Kind.NS ? 3 : degree;
        this.interiorKnots = interiorKnots.clone();
        this.lower = lower;
        this.upper = upper;
        int order = this.degree + 1;
        allKnots = new double[2 * order + interiorKnots.length];
        for (int i = 0; i < order; i++) {
            allKnots[i] = lower;
            allKnots[allKnots.length - 1 - i] = upper;
        }
        System.arraycopy(interiorKnots, 0, allKnots, order, interiorKnots.length);
        Arrays.sort(allKnots);
        design = new SplineDesign(allKnots, order);
        int columns = design.columns() - 1; // no intercept: R drops the first basis function
        if (kind == Kind.NS) {
            // const <- splineDesign(Aknots, Boundary.knots, 4, c(2, 2))[, -1]; qr(t(const))
            double[] lo = design.row(lower, 2);
            double[] hi = design.row(upper, 2);
            double[] tconst = new double[columns * 2];
            for (int j = 0; j < columns; j++) {
                tconst[j] = lo[j + 1];
                tconst[columns + j] = hi[j + 1];
            }
            constraints = new LinpackQr(tconst, columns, 2);
            width = columns - 2;
        } else {
            constraints = null;
            width = columns;
        }
    }

    /**
     * R's knot placement for {@code df} without explicit knots: interior knots at type-7 quantiles of the data
     * at equally spaced probabilities; bs has df - degree interior knots, ns df - 1.
     */
    public static double[] quantileKnots(double[] sortedX, int count) {
        double[] knots = new double[count];
        for (int k = 0; k < count; k++) {
            double prob = (k + 1.0) / (count + 1.0);
            knots[k] = quantile7(sortedX, prob);
        }
        return knots;
    }

    /** R's quantile(type = 7) of sorted data. */
    public static double quantile7(double[] sorted, double prob) {
        int n = sorted.length;
        double h = (n - 1) * prob;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, n - 1);
        double frac = h - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    public Kind kind() {
        return kind;
    }

    public int degree() {
        return degree;
    }

    public double[] interiorKnots() {
        return interiorKnots.clone();
    }

    public double lower() {
        return lower;
    }

    public double upper() {
        return upper;
    }

    /** Number of basis columns. */
    public int width() {
        return width;
    }

    /** Most non-zero values a row can have: degree + 1 for bs (width for ns, which is dense). */
    public int maxNonZeros() {
        return kind == Kind.BS ? Math.min(width, degree + 1) : width;
    }

    /** The row of {@link #width()} basis values at x. */
    public double[] row(double x) {
        double[] full;
        if (x < lower || x > upper) {
            full = extrapolated(x);
        } else {
            full = design.row(x, 0);
        }
        double[] noIntercept = Arrays.copyOfRange(full, 1, full.length);
        if (kind == Kind.BS) {
            return noIntercept;
        }
        // basis <- t(qr.qty(qr.const, t(basis)))[, -(1:2)]
        double[] qty = constraints.qty(noIntercept);
        return Arrays.copyOfRange(qty, 2, qty.length);
    }

    private double[] extrapolated(double x) {
        int columns = design.columns();
        double[] full = new double[columns];
        int order = degree + 1;
        if (kind == Kind.NS) {
            // Linear beyond the boundary: value plus slope at the boundary knot.
            double pivot = x < lower ? lower : upper;
            double[] v = design.row(pivot, 0);
            double[] d1 = design.row(pivot, 1);
            for (int j = 0; j < columns; j++) {
                full[j] = v[j] + (x - pivot) * d1[j];
            }
            return full;
        }
        // bs: Taylor expansion at a pivot a quarter of the way to the nearest inner knot (R >= 3.2.3).
        double e = 0.25;
        double pivot = x < lower
                ? (1 - e) * lower + e * allKnots[order]
                : (1 - e) * upper + e * allKnots[allKnots.length - order - 1];
        double factorial = 1;
        for (int k = 0; k <= degree; k++) {
            if (k > 0) {
                factorial *= k;
            }
            double[] dk = design.row(pivot, k);
            double scale = Math.pow(x - pivot, k) / factorial;
            for (int j = 0; j < columns; j++) {
                full[j] += scale * dk[j];
            }
        }
        return full;
    }
}
