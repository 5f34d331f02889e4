package io.streamglm.engine.diagnostics;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.spec.ModelSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The diagnostics summary of a stream refit: actual against expected by level of each categorical main effect and
 * the Gini, both exactly as {@link Diagnostics} computes them for a batch fit of the same rows ({@link
 * ActualExpected}, {@link Lift}), and the drift check: the window's rows scored with the previous window's model
 * (its coefficients, dispersion and theta, {@link PreviousModel}), A/E by level with the same interval, and the
 * levels whose interval excludes 1.
 *
 * <p>It is computed from {@link SummarySums}, which add up over disjoint sets of rows: one operator sums all the
 * window's rows, a sharded refit's shards each their own, merged by the coordinator.
 *
 * @param actualExpected   at the window's own fit; null when the fit failed
 * @param gini             {@link Lift#gini()} at the window's own fit; NaN when the fit failed
 * @param giniNormalised   {@link Lift#giniNormalised()} at the window's own fit; NaN when the fit failed
 * @param exposureWeighted whether the Gini weights rows by prior weight x exposure (exposure recovered from the
 *                         log-exposure offset) or by prior weight alone (no exposure column, or an offset column
 *                         as well, so that the exposure cannot be recovered from the row's offset)
 * @param drift            null when there is no previous window's model to compare with
 */
public record WindowSummary(ActualExpected actualExpected, double gini, double giniNormalised,
                            boolean exposureWeighted, Drift drift) {

    /**
     * The previous window's A/E under its own model, on this window's rows.
     *
     * @param previousRefit the refit id of the model the rows were scored with
     * @param levels        the levels whose ratio's interval excludes 1, in the terms' and levels' order
     */
    public record Drift(String previousRefit, ActualExpected actualExpected, List<Shift> levels) {
        public Drift {
            levels = List.copyOf(levels);
        }

        public boolean flag() {
            return !levels.isEmpty();
        }
    }

    /** A level whose A/E under the previous window's model is outside its interval. */
    public record Shift(String term, String level, double ratio, double lower, double upper) {
    }

    /**
     * What the drift check keeps of a refit between windows: its id, linear-predictor coefficients (aliased ones
     * 0), dispersion (NaN where none) and theta (NaN unless a negative binomial). Versioned little-endian bytes.
     */
    public record PreviousModel(String refit, double[] beta, double dispersion, double theta) {
        private static final int MAGIC = 0x53474D50; // "SGMP"
        /** The serial version of {@link #toBytes}. */
        public static final byte VERSION = 1;

        /** Null when the fit failed (there is no model to carry). */
        public static PreviousModel of(String refit, GlmResult result) {
            if (result.status() == FitStatus.FAILED) {
                return null;
            }
            return new PreviousModel(refit, result.linearPredictorCoefficients(),
                    result.dispersion() == null ? Double.NaN : result.dispersion(),
                    result.theta() == null ? Double.NaN : result.theta());
        }

        public byte[] toBytes() {
            byte[] id = refit.getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.allocate(4 + 1 + 4 + id.length + 4 + 8 * beta.length + 16)
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.putInt(MAGIC).put(VERSION);
            buf.putInt(id.length).put(id);
            buf.putInt(beta.length);
            for (double b : beta) {
                buf.putDouble(b);
            }
            buf.putDouble(dispersion).putDouble(theta);
            return buf.array();
        }

        public static PreviousModel fromBytes(byte[] bytes) {
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length < 5 || buf.getInt() != MAGIC) {
                throw new IllegalArgumentException("previous window's model: not a model state");
            }
            byte v = buf.get();
            if (v != VERSION) {
                throw new IllegalArgumentException("previous window's model: serial version " + v
                        + " is not readable by this engine (it reads " + VERSION + "); upgrade streamglm");
            }
            byte[] id = new byte[buf.getInt()];
            buf.get(id);
            double[] beta = new double[buf.getInt()];
            for (int i = 0; i < beta.length; i++) {
                beta[i] = buf.getDouble();
            }
            return new PreviousModel(new String(id, StandardCharsets.UTF_8), beta, buf.getDouble(), buf.getDouble());
        }
    }

    /**
     * @param m        the window's rows
     * @param result   the window's refit
     * @param exposure each row's exposure, or null to weight the Gini by prior weight alone ({@link #exposure})
     * @param previous the previous window's model, or null
     */
    public static WindowSummary compute(DesignMatrix m, FittedDesign design, GlmModel model, GlmResult result,
                                        double[] exposure, PreviousModel previous) {
        SummarySums.Request request = new SummarySums.Request(PreviousModel.of("", result), previous);
        return SummarySums.accumulate(m, design, model, request, exposure).summary(design, result, previous,
                exposure != null);
    }

    /**
     * Each row's exposure for the Gini's weights: exp of the row's offset when the spec has an exposure column and
     * no offset column (the offset is then log(exposure) alone); null otherwise (weights by prior weight alone).
     */
    public static double[] exposure(ModelSpec spec, DesignMatrix m) {
        return exposure(spec, m, 0, m.rows());
    }

    /** As above for rows {@code from} to {@code to} of {@code m}: row i's exposure at {@code i - from}. */
    public static double[] exposure(ModelSpec spec, DesignMatrix m, int from, int to) {
        if (spec.exposure() == null || spec.offset() != null) {
            return null;
        }
        double[] exposure = new double[to - from];
        for (int i = from; i < to; i++) {
            exposure[i - from] = Math.exp(m.offset(i));
        }
        return exposure;
    }

    /** The drift check of A/E under the previous model: every level whose interval excludes 1. */
    static Drift drift(String previousRefit, ActualExpected before) {
        List<Shift> shifts = new ArrayList<>();
        for (Map.Entry<String, List<ActualExpected.Level>> e : before.terms().entrySet()) {
            for (ActualExpected.Level l : e.getValue()) {
                if (Double.isFinite(l.ciLower()) && Double.isFinite(l.ciUpper())
                        && (l.ciLower() > 1 || l.ciUpper() < 1)) {
                    shifts.add(new Shift(e.getKey(), l.level(), l.ratio(), l.ciLower(), l.ciUpper()));
                }
            }
        }
        return new Drift(previousRefit, before, shifts);
    }

    /**
     * The family object at a theta (an estimated-theta negative binomial has none of its own); theta 1 when the
     * result has none, as the online step that produced it (which does not estimate theta).
     */
    static Family family(GlmModel model, double theta) {
        if (model.family() != null) {
            return model.family();
        }
        return model.negativeBinomial(theta > 0 && Double.isFinite(theta) ? theta : 1.0);
    }
}
