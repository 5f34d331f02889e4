package io.streamglm.engine.design;

import io.streamglm.engine.spec.UnseenLevelPolicy;

import java.util.List;
import java.util.Map;

/**
 * Encodes single records (stream events, scoring calls) into sparse design rows with a frozen design. Level maps
 * are built once; encoding a record allocates only what a spline basis needs. Gives the same row as
 * {@link TableEncoder} without a training response (target encodings use the frozen full-data statistics).
 */
public final class RecordEncoder {
    /** Returned by {@link #encode} for a record whose prediction must be null (an unseen level under policy null). */
    public static final int NULL_ROW = -1;

    private final FittedDesign design;
    private final Term[] terms;

    public RecordEncoder(FittedDesign design) {
        this.design = design;
        List<DesignTerm> list = design.terms();
        terms = new Term[list.size()];
        for (int t = 0; t < terms.length; t++) {
            terms[t] = new Term(list.get(t));
        }
    }

    public FittedDesign design() {
        return design;
    }

    /**
     * Writes the record's non-zeros (ascending column) into {@code idx}/{@code val}, which must hold
     * {@link FittedDesign#maxNonZeros()} entries.
     *
     * @return the number of non-zeros, or {@link #NULL_ROW}
     * @throws UnseenLevelException for a level the design does not know under policy {@code error}
     */
    public int encode(RecordValues record, int[] idx, double[] val) {
        int pos = 0;
        if (design.intercept()) {
            idx[0] = 0;
            val[0] = 1.0;
            pos = 1;
        }
        for (Term t : terms) {
            int k = t.entries(record, idx, val, pos);
            if (k == NULL_ROW) {
                return NULL_ROW;
            }
            pos += k;
        }
        return pos;
    }

    /** A record's level of a categorical that the frozen design does not know, under policy {@code error}. */
    public static final class UnseenLevelException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String column;
        private final String level;

        UnseenLevelException(String column, String level, String term) {
            super("level '" + level + "' of '" + term + "' (column '" + column + "') was not seen when the model"
                    + " was fitted");
            this.column = column;
            this.level = level;
        }

        public String column() {
            return column;
        }

        public String level() {
            return level;
        }
    }

    private static final int ABSENT = -2;

    private static final class Term {
        private final DesignTerm term;
        private final DesignComponent[] components;
        private final Map<String, Integer>[] levelIndex;
        private final int[] strides;
        private final int[] compIdx;
        private final double[] compVal;
        private final int[] workIdx;
        private final double[] workVal;

        @SuppressWarnings("unchecked")
        Term(DesignTerm term) {
            this.term = term;
            int c = term.components().size();
            components = term.components().toArray(new DesignComponent[0]);
            levelIndex = new Map[c];
            strides = new int[c];
            int s = 1;
            int maxComp = 1;
            for (int j = 0; j < c; j++) {
                if (components[j] instanceof FactorComponent f) {
                    levelIndex[j] = f.levelIndex();
                }
                strides[j] = s;
                s *= components[j].width();
                maxComp = Math.max(maxComp, components[j].width());
            }
            compIdx = new int[maxComp];
            compVal = new double[maxComp];
            workIdx = new int[term.maxEntries()];
            workVal = new double[term.maxEntries()];
        }

        int entries(RecordValues r, int[] idx, double[] val, int pos) {
            if (components.length == 1) {
                return single(r, idx, val, pos);
            }
            int n = 1;
            idx[pos] = 0;
            val[pos] = 1.0;
            for (int j = 0; j < components.length; j++) {
                int k = component(j, r);
                if (k == NULL_ROW) {
                    return NULL_ROW;
                }
                if (k == ABSENT || k == 0) {
                    return 0;
                }
                int m = 0;
                for (int e = 0; e < k; e++) {
                    for (int q = 0; q < n; q++) {
                        workIdx[m] = idx[pos + q] + compIdx[e] * strides[j];
                        workVal[m] = val[pos + q] * compVal[e];
                        m++;
                    }
                }
                System.arraycopy(workIdx, 0, idx, pos, m);
                System.arraycopy(workVal, 0, val, pos, m);
                n = m;
            }
            for (int q = 0; q < n; q++) {
                idx[pos + q] += term.firstColumn();
            }
            return n;
        }

        /**
         * A term of one component (a main effect, most terms): its entries written straight, without the product
         * loop's copies; the same values, since the loop multiplies each by exactly 1.0.
         */
        private int single(RecordValues r, int[] idx, double[] val, int pos) {
            int k = component(0, r);
            if (k == NULL_ROW) {
                return NULL_ROW;
            }
            if (k == ABSENT) {
                return 0;
            }
            for (int e = 0; e < k; e++) {
                idx[pos + e] = compIdx[e] + term.firstColumn();
                val[pos + e] = compVal[e];
            }
            return k;
        }

        private int component(int j, RecordValues r) {
            DesignComponent comp = components[j];
            if (comp instanceof NumericComponent n) {
                return one(r.number(n.column()));
            }
            if (comp instanceof FactorComponent f) {
                String level = r.text(f.column());
                Integer index = level == null ? null : levelIndex[j].get(level);
                if (index == null) {
                    if (f.unseen() == UnseenLevelPolicy.BASE) {
                        return ABSENT;
                    }
                    if (f.unseen() == UnseenLevelPolicy.NULL) {
                        return NULL_ROW;
                    }
                    throw new UnseenLevelException(f.column(), String.valueOf(level), f.name());
                }
                int local = f.localIndex(index);
                if (local < 0) {
                    return ABSENT;
                }
                compIdx[0] = local;
                compVal[0] = 1.0;
                return 1;
            }
            if (comp instanceof SplineComponent s) {
                double[] basis = s.basis().row(r.number(s.column()));
                int k = 0;
                for (int b = 0; b < basis.length; b++) {
                    if (basis[b] != 0 || s.dense()) {
                        compIdx[k] = b;
                        compVal[k++] = basis[b];
                    }
                }
                return k;
            }
            if (comp instanceof ExpressionComponent e) {
                return one(e.expression().evaluate(r::number));
            }
            if (comp instanceof FrequencyComponent f) {
                String level = r.text(f.column());
                return one(level == null ? 0.0 : f.value(level));
            }
            if (comp instanceof TargetComponent t) {
                String level = r.text(t.column());
                return one(level == null ? t.prior() : t.value(level));
            }
            throw new IllegalStateException("unsupported component " + comp);
        }

        private int one(double v) {
            compIdx[0] = 0;
            compVal[0] = v;
            return 1;
        }
    }
}
