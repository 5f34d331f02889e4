package io.streamglm.engine.accumulate;

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
    private final int[] rowBase;
    private final double[] meatHc0;
    private final double[] meatHc2;
    private final double[] meatHc3;
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
        this(p, new double[PackedUpper.size(p)], new double[PackedUpper.size(p)], new double[PackedUpper.size(p)]);
    }

    private InferenceAccumulator(int p, double[] m0, double[] m2, double[] m3) {
        this.p = p;
        this.rowBase = PackedUpper.rowBases(p);
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
    public void addMeat(int[] idx, double[] val, int from, int nnz, double wres, double hat) {
        double e0 = wres * wres;
        double oneMinusH = 1.0 - hat;
        if (hat == 1.0) {
            hatOneRows++;
        }
        PackedUpper.addOuter(meatHc0, rowBase, idx, val, from, nnz, e0);
        PackedUpper.addOuter(meatHc2, rowBase, idx, val, from, nnz, e0 / oneMinusH);
        PackedUpper.addOuter(meatHc3, rowBase, idx, val, from, nnz, e0 / (oneMinusH * oneMinusH));
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

    public void addMuNearZero() {
        muNearZeroRows++;
    }

    public void addMuNearOne() {
        muNearOneRows++;
    }

    public void merge(InferenceAccumulator o) {
        if (o.p != p) {
            throw new IllegalArgumentException("cannot merge accumulators of " + p + " and " + o.p + " columns");
        }
        for (int i = 0; i < meatHc0.length; i++) {
            meatHc0[i] += o.meatHc0[i];
            meatHc2[i] += o.meatHc2[i];
            meatHc3[i] += o.meatHc3[i];
        }
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
        return meatHc0;
    }

    public double[] meatHc2Packed() {
        return meatHc2;
    }

    public double[] meatHc3Packed() {
        return meatHc3;
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
        int m = meatHc0.length;
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
        ByteFormat.putDoubles(buf, meatHc0);
        ByteFormat.putDoubles(buf, meatHc2);
        ByteFormat.putDoubles(buf, meatHc3);
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
        InferenceAccumulator acc = new InferenceAccumulator(p, ByteFormat.getDoubles(buf, m),
                ByteFormat.getDoubles(buf, m), ByteFormat.getDoubles(buf, m));
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
        return Arrays.hashCode(meatHc0) + Long.hashCode(rows);
    }
}
