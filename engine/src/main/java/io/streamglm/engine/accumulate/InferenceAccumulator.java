package io.streamglm.engine.accumulate;

import io.streamglm.engine.design.DesignMatrix;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sums of the final pass at converged coefficients, everything {@code summary.glm}, {@code logLik},
 * {@code AIC} and {@code sandwich::vcovHC} need beyond X'WX: sandwich meats for HC0 (HC1 is a rescaling),
 * HC2 and HC3, Pearson's chi-square, the numerator of R's dispersion, the family's AIC terms, the null
 * deviance, and counters for R's warnings.
 *
 * <p>Byte layout (little-endian), serial version 1:
 * <pre>
 * offset  size          field
 * 0       4             magic 0x53474946 ("SGIF")
 * 4       1             serial version (1)
 * 5       4             p
 * 9       8             rows
 * 17      8             activeRows       rows with positive prior weight
 * 25      8             hatOneRows       rows whose hat value is 1 (to rounding)
 * 33      8             muNearZeroRows   rows with mu below 10 * eps
 * 41      8             muNearOneRows    rows with mu above 1 - 10 * eps
 * 49      8             pearson          sum of squared Pearson residuals
 * 57      8             dispersionSum    sum of working weight * working residual^2 (R's dispersion numerator)
 * 65      8             aicTerms         sum of the family's per-row AIC terms
 * 73      8             nullDeviance     deviance at the null model's mean
 * 81      3*8*p(p+1)/2  meats HC0, HC2, HC3, each packed upper triangle
 * </pre>
 */
public final class InferenceAccumulator {
    static final int MAGIC = 0x53474946;
    static final byte SERIAL_VERSION = 1;
    /** The counters and sums, in the order of the layout. */
    private static final int ROWS = 0;
    private static final int ACTIVE_ROWS = 1;
    private static final int HAT_ONE_ROWS = 2;
    private static final int MU_NEAR_ZERO_ROWS = 3;
    private static final int MU_NEAR_ONE_ROWS = 4;
    private static final int PEARSON = 0;
    private static final int DISPERSION_SUM = 1;
    private static final int AIC_TERMS = 2;
    private static final int NULL_DEVIANCE = 3;

    private final int p;
    private final Gram meatHc0;
    private final Gram meatHc2;
    private final Gram meatHc3;
    private final Tallies tallies;

    public InferenceAccumulator(int p) {
        this(p, new int[0]);
    }

    /** @param denseColumns the design columns present in every row (see {@link IrlsAccumulator}) */
    public InferenceAccumulator(int p, int[] denseColumns) {
        this(p, new Gram(p, denseColumns), new Gram(p, denseColumns), new Gram(p, denseColumns), new Tallies(5, 4));
    }

    private InferenceAccumulator(int p, Gram m0, Gram m2, Gram m3, Tallies tallies) {
        this.p = p;
        this.meatHc0 = m0;
        this.meatHc2 = m2;
        this.meatHc3 = m3;
        this.tallies = tallies;
    }

    public int columns() {
        return p;
    }

    /**
     * Adds a row's contribution to the sandwich meats: {@code wres} is the working residual times the working
     * weight (R's {@code estfun} before dividing by x), {@code hat} its leverage.
     */
    public void addMeat(double[] dense, int denseFrom, int[] idx, double[] val, int sparseFrom, int k, double wres,
                        double hat) {
        double e0 = wres * wres;
        double oneMinusH = 1.0 - hat;
        if (hat == 1.0) {
            tallies.counts[HAT_ONE_ROWS]++;
        }
        meatHc0.addRow(dense, denseFrom, idx, val, sparseFrom, k, e0);
        meatHc2.addRow(dense, denseFrom, idx, val, sparseFrom, k, e0 / oneMinusH);
        meatHc3.addRow(dense, denseFrom, idx, val, sparseFrom, k, e0 / (oneMinusH * oneMinusH));
    }

    /**
     * Adds the meats of rows {@code from + i}, i < len, of {@code m}: {@code wres[i]} is the working residual
     * times the working weight (0 for rows without weight, whose leverage is 0 too), {@code hat[i]} the leverage
     * (already set to 1 when within rounding of it; a leverage of 1 makes HC2 and HC3 undefined, as in R).
     * {@code e0}, {@code e2} and {@code e3} hold len doubles each.
     */
    public void addMeats(DesignMatrix m, int from, int len, double[] wres, double[] hat, double[] e0, double[] e2,
                         double[] e3) {
        long hatOne = 0;
        for (int i = 0; i < len; i++) {
            double r2 = wres[i] * wres[i];
            double omh = 1.0 - hat[i];
            e0[i] = r2;
            e2[i] = r2 / omh;
            e3[i] = r2 / (omh * omh);
            if (hat[i] == 1.0) {
                hatOne++;
            }
        }
        tallies.counts[HAT_ONE_ROWS] += hatOne;
        Gram.addRows(m, from, len, new Gram[]{meatHc0, meatHc2, meatHc3}, new double[][]{e0, e2, e3});
    }

    /** Adds a row's scalar contributions. */
    public void addRow(boolean active, double pearsonTerm, double dispersionTerm, double aicTerm,
                       double nullDevianceTerm) {
        tallies.counts[ROWS]++;
        if (active) {
            tallies.counts[ACTIVE_ROWS]++;
        }
        tallies.sums[PEARSON] += pearsonTerm;
        tallies.sums[DISPERSION_SUM] += dispersionTerm;
        tallies.sums[AIC_TERMS] += aicTerm;
        tallies.sums[NULL_DEVIANCE] += nullDevianceTerm;
    }

    /** Adds the summed scalar contributions of {@code n} rows of prior weight 1 (a cell of rows). */
    public void addRows(long n, double pearsonSum, double dispersionSum, double aicSum, double nullDevianceSum) {
        tallies.counts[ROWS] += n;
        tallies.counts[ACTIVE_ROWS] += n;
        tallies.sums[PEARSON] += pearsonSum;
        tallies.sums[DISPERSION_SUM] += dispersionSum;
        tallies.sums[AIC_TERMS] += aicSum;
        tallies.sums[NULL_DEVIANCE] += nullDevianceSum;
    }

    public void addMuNearZero() {
        tallies.counts[MU_NEAR_ZERO_ROWS]++;
    }

    public void addMuNearZero(long n) {
        tallies.counts[MU_NEAR_ZERO_ROWS] += n;
    }

    public void addMuNearOne() {
        tallies.counts[MU_NEAR_ONE_ROWS]++;
    }

    public void merge(InferenceAccumulator o) {
        if (o.p != p) {
            throw new IllegalArgumentException("cannot merge accumulators of " + p + " and " + o.p + " columns");
        }
        meatHc0.merge(o.meatHc0);
        meatHc2.merge(o.meatHc2);
        meatHc3.merge(o.meatHc3);
        tallies.merge(o.tallies);
    }

    public double[] meatHc0Packed() {
        return meatHc0.packed();
    }

    public double[] meatHc2Packed() {
        return meatHc2.packed();
    }

    public double[] meatHc3Packed() {
        return meatHc3.packed();
    }

    public long rows() {
        return tallies.counts[ROWS];
    }

    public long activeRows() {
        return tallies.counts[ACTIVE_ROWS];
    }

    public long hatOneRows() {
        return tallies.counts[HAT_ONE_ROWS];
    }

    public long muNearZeroRows() {
        return tallies.counts[MU_NEAR_ZERO_ROWS];
    }

    public long muNearOneRows() {
        return tallies.counts[MU_NEAR_ONE_ROWS];
    }

    public double pearson() {
        return tallies.sums[PEARSON];
    }

    public double dispersionSum() {
        return tallies.sums[DISPERSION_SUM];
    }

    public double aicTerms() {
        return tallies.sums[AIC_TERMS];
    }

    public double nullDeviance() {
        return tallies.sums[NULL_DEVIANCE];
    }

    public byte[] toByteArray() {
        return ByteFormat.write(MAGIC, SERIAL_VERSION, p, tallies, meatHc0.packed(), meatHc2.packed(),
                meatHc3.packed());
    }

    public static InferenceAccumulator heapify(byte[] bytes) {
        Tallies tallies = new Tallies(5, 4);
        ByteBuffer buf = ByteFormat.read(bytes, MAGIC, SERIAL_VERSION, "InferenceAccumulator", tallies,
                p -> 3L * PackedUpper.size(p), p -> "p = " + p);
        int p = ByteFormat.size(buf);
        int m = PackedUpper.size(p);
        int[] none = new int[0];
        return new InferenceAccumulator(p, new Gram(p, none, ByteFormat.getDoubles(buf, m)),
                new Gram(p, none, ByteFormat.getDoubles(buf, m)), new Gram(p, none, ByteFormat.getDoubles(buf, m)),
                tallies);
    }

    @Override public boolean equals(Object o) {
        return o instanceof InferenceAccumulator a && Arrays.equals(toByteArray(), a.toByteArray());
    }

    @Override public int hashCode() {
        return Arrays.hashCode(meatHc0.packed()) + Long.hashCode(tallies.counts[ROWS]);
    }
}
