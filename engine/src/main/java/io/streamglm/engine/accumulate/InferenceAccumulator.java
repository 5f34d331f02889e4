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
    private static final int HEADER_BYTES = 81;

    private final int p;
    private final Gram meatHc0;
    private final Gram meatHc2;
    private final Gram meatHc3;
    private long rows;
    private long activeRows;
    private long hatOneRows;
    private long muNearZeroRows;
    private long muNearOneRows;
    private double pearson;
    private double dispersionSum;
    private double aicTerms;
    private double nullDeviance;

    public InferenceAccumulator(int p) {
        this(p, new int[0]);
    }

    /** @param denseColumns the design columns present in every row (see {@link IrlsAccumulator}) */
    public InferenceAccumulator(int p, int[] denseColumns) {
        this(p, new Gram(p, denseColumns), new Gram(p, denseColumns), new Gram(p, denseColumns));
    }

    private InferenceAccumulator(int p, Gram m0, Gram m2, Gram m3) {
        this.p = p;
        this.meatHc0 = m0;
        this.meatHc2 = m2;
        this.meatHc3 = m3;
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
            hatOneRows++;
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
        for (int i = 0; i < len; i++) {
            double r2 = wres[i] * wres[i];
            double omh = 1.0 - hat[i];
            e0[i] = r2;
            e2[i] = r2 / omh;
            e3[i] = r2 / (omh * omh);
            if (hat[i] == 1.0) {
                hatOneRows++;
            }
        }
        Gram.addRows(m, from, len, new Gram[]{meatHc0, meatHc2, meatHc3}, new double[][]{e0, e2, e3});
    }

    /** Adds a row's scalar contributions. */
    public void addRow(boolean active, double pearsonTerm, double dispersionTerm, double aicTerm,
                       double nullDevianceTerm) {
        rows++;
        if (active) {
            activeRows++;
        }
        pearson += pearsonTerm;
        dispersionSum += dispersionTerm;
        aicTerms += aicTerm;
        nullDeviance += nullDevianceTerm;
    }

    /** Adds the summed scalar contributions of {@code n} rows of prior weight 1 (a cell of rows). */
    public void addRows(long n, double pearsonSum, double dispersionSum, double aicSum, double nullDevianceSum) {
        rows += n;
        activeRows += n;
        pearson += pearsonSum;
        this.dispersionSum += dispersionSum;
        aicTerms += aicSum;
        nullDeviance += nullDevianceSum;
    }

    public void addMuNearZero() {
        muNearZeroRows++;
    }

    public void addMuNearZero(long n) {
        muNearZeroRows += n;
    }

    public void addMuNearOne() {
        muNearOneRows++;
    }

    public void merge(InferenceAccumulator o) {
        if (o.p != p) {
            throw new IllegalArgumentException("cannot merge accumulators of " + p + " and " + o.p + " columns");
        }
        meatHc0.merge(o.meatHc0);
        meatHc2.merge(o.meatHc2);
        meatHc3.merge(o.meatHc3);
        rows += o.rows;
        activeRows += o.activeRows;
        hatOneRows += o.hatOneRows;
        muNearZeroRows += o.muNearZeroRows;
        muNearOneRows += o.muNearOneRows;
        pearson += o.pearson;
        dispersionSum += o.dispersionSum;
        aicTerms += o.aicTerms;
        nullDeviance += o.nullDeviance;
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
        return rows;
    }

    public long activeRows() {
        return activeRows;
    }

    public long hatOneRows() {
        return hatOneRows;
    }

    public long muNearZeroRows() {
        return muNearZeroRows;
    }

    public long muNearOneRows() {
        return muNearOneRows;
    }

    public double pearson() {
        return pearson;
    }

    public double dispersionSum() {
        return dispersionSum;
    }

    public double aicTerms() {
        return aicTerms;
    }

    public double nullDeviance() {
        return nullDeviance;
    }

    public byte[] toByteArray() {
        int m = PackedUpper.size(p);
        ByteBuffer buf = ByteFormat.allocate(HEADER_BYTES + 8 * 3 * m);
        ByteFormat.writeHeader(buf, MAGIC, SERIAL_VERSION);
        buf.putInt(p);
        buf.putLong(rows);
        buf.putLong(activeRows);
        buf.putLong(hatOneRows);
        buf.putLong(muNearZeroRows);
        buf.putLong(muNearOneRows);
        buf.putDouble(pearson);
        buf.putDouble(dispersionSum);
        buf.putDouble(aicTerms);
        buf.putDouble(nullDeviance);
        ByteFormat.putDoubles(buf, meatHc0.packed());
        ByteFormat.putDoubles(buf, meatHc2.packed());
        ByteFormat.putDoubles(buf, meatHc3.packed());
        return buf.array();
    }

    public static InferenceAccumulator heapify(byte[] bytes) {
        ByteBuffer buf = ByteFormat.wrap(bytes);
        ByteFormat.readHeader(buf, MAGIC, SERIAL_VERSION, "InferenceAccumulator");
        int p = buf.getInt();
        int m = PackedUpper.size(p);
        if (p < 0 || bytes.length != HEADER_BYTES + 8L * 3 * m) {
            throw new IllegalArgumentException("InferenceAccumulator: " + bytes.length + " bytes do not hold p = " + p);
        }
        long rows = buf.getLong();
        long active = buf.getLong();
        long hatOne = buf.getLong();
        long nearZero = buf.getLong();
        long nearOne = buf.getLong();
        double pearson = buf.getDouble();
        double disp = buf.getDouble();
        double aic = buf.getDouble();
        double nullDev = buf.getDouble();
        int[] none = new int[0];
        InferenceAccumulator acc = new InferenceAccumulator(p, new Gram(p, none, ByteFormat.getDoubles(buf, m)),
                new Gram(p, none, ByteFormat.getDoubles(buf, m)), new Gram(p, none, ByteFormat.getDoubles(buf, m)));
        acc.rows = rows;
        acc.activeRows = active;
        acc.hatOneRows = hatOne;
        acc.muNearZeroRows = nearZero;
        acc.muNearOneRows = nearOne;
        acc.pearson = pearson;
        acc.dispersionSum = disp;
        acc.aicTerms = aic;
        acc.nullDeviance = nullDev;
        return acc;
    }

    @Override public boolean equals(Object o) {
        return o instanceof InferenceAccumulator a && Arrays.equals(toByteArray(), a.toByteArray());
    }

    @Override public int hashCode() {
        return Arrays.hashCode(meatHc0.packed()) + Long.hashCode(rows);
    }
}
