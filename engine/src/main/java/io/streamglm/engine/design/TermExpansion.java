package io.streamglm.engine.design;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The expansion of a design row into its non-zero columns (ascending): the intercept, then each term as the
 * product of its components' entries. Records ({@link RecordEncoder}) and tables ({@link TableEncoder}) expand
 * rows only here, each binding the components to where their values come from, so that a row encodes to the
 * same columns and values whichever path it takes.
 *
 * @param <R> what the components read a row from: a record, or a table's encoder at its current row (passed
 *            down, not stored, so that encoding a record writes no reference into the heap)
 */
final class TermExpansion<R> {
    /** A component's or row's result when its prediction must be null (an unseen level under policy null). */
    static final int NULL_ROW = -1;
    /** A component's result meaning "this term has no value in this row" (a base level). */
    static final int ABSENT = -2;

    /** A term's components bound to their values: their entries in the row being encoded. */
    interface Components<R> {
        /**
         * Writes component j's local column indices (ascending) and values in {@code row} into
         * {@code idx}/{@code val} from 0.
         *
         * @return the count of entries, {@link #ABSENT}, or {@link #NULL_ROW}
         */
        int entries(R row, int j, int[] idx, double[] val);
    }

    private final int firstColumn;
    private final int count;
    private final Components<R> components;
    private final int[] strides;
    private final int[] compIdx;
    private final double[] compVal;
    private final int[] workIdx;
    private final double[] workVal;

    private TermExpansion(DesignTerm term, Components<R> components) {
        this.firstColumn = term.firstColumn();
        this.components = components;
        List<DesignComponent> list = term.components();
        count = list.size();
        strides = new int[count];
        int s = 1;
        int maxComp = 1;
        for (int j = 0; j < strides.length; j++) {
            strides[j] = s;
            s *= list.get(j).width();
            maxComp = Math.max(maxComp, list.get(j).width());
        }
        compIdx = new int[maxComp];
        compVal = new double[maxComp];
        workIdx = new int[term.maxEntries()];
        workVal = new double[term.maxEntries()];
    }

    /**
     * The design's terms, each with its components bound by {@code bind}. One {@link Components} class per
     * encoder keeps the expansion's call to it monomorphic in the hot loop.
     */
    static <R> TermExpansion<R>[] bind(FittedDesign design, Function<DesignTerm, Components<R>> bind) {
        List<DesignTerm> terms = design.terms();
        @SuppressWarnings("unchecked")
        TermExpansion<R>[] out = new TermExpansion[terms.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = new TermExpansion<>(terms.get(t), bind.apply(terms.get(t)));
        }
        return out;
    }

    /**
     * Writes the row's non-zeros (ascending column) into {@code idx}/{@code val} from 0; the arrays must hold
     * {@link FittedDesign#maxNonZeros()} entries.
     *
     * @return the number of non-zeros, or {@link #NULL_ROW}
     */
    static <R> int row(R row, boolean intercept, TermExpansion<R>[] terms, int[] idx, double[] val) {
        int pos = 0;
        if (intercept) {
            idx[0] = 0;
            val[0] = 1.0;
            pos = 1;
        }
        for (TermExpansion<R> t : terms) {
            int k = t.entries(row, idx, val, pos);
            if (k == NULL_ROW) {
                return NULL_ROW;
            }
            pos += k;
        }
        return pos;
    }

    /** The term's entries in the row being encoded, at {@code idx/val[pos ..]}; the count, or {@link #NULL_ROW}. */
    int entries(R row, int[] idx, double[] val, int pos) {
        if (count == 1) {
            return single(row, idx, val, pos);
        }
        int n = 1;
        idx[pos] = 0;
        val[pos] = 1.0;
        for (int j = 0; j < count; j++) {
            int k = components.entries(row, j, compIdx, compVal);
            if (k == NULL_ROW) {
                return NULL_ROW;
            }
            if (k == ABSENT || k == 0) {
                return 0;
            }
            // Later components have larger strides: iterate their entries outermost to stay ascending.
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
            idx[pos + q] += firstColumn;
        }
        return n;
    }

    /**
     * A term of one component (a main effect, most terms): its entries written straight, without the product
     * loop's copies; the same values, since the loop multiplies each by exactly 1.0.
     */
    private int single(R row, int[] idx, double[] val, int pos) {
        int k = components.entries(row, 0, compIdx, compVal);
        if (k == NULL_ROW) {
            return NULL_ROW;
        }
        if (k == ABSENT) {
            return 0;
        }
        for (int e = 0; e < k; e++) {
            idx[pos + e] = compIdx[e] + firstColumn;
            val[pos + e] = compVal[e];
        }
        return k;
    }

    /** A component of one column with value {@code v}. */
    static int one(int[] idx, double[] val, double v) {
        idx[0] = 0;
        val[0] = v;
        return 1;
    }

    /** A spline's basis at {@code x}: its non-zero columns, or all of them for a dense (natural) basis. */
    static int spline(SplineComponent s, double x, int[] idx, double[] val) {
        double[] basis = s.basis().row(x);
        boolean dense = s.dense();
        int k = 0;
        for (int b = 0; b < basis.length; b++) {
            if (basis[b] != 0 || dense) {
                idx[k] = b;
                val[k++] = basis[b];
            }
        }
        return k;
    }

    /** A categorical's known level, by its column within the component (-1: the base under contrasts). */
    static int level(int local, int[] idx, double[] val) {
        if (local < 0) {
            return ABSENT;
        }
        idx[0] = local;
        val[0] = 1.0;
        return 1;
    }

    /** The entries of a level the design does not know, by the factor's policy; {@code error} for policy error. */
    static int unseen(FactorComponent f, Supplier<RuntimeException> error) {
        return switch (f.unseen()) {
            case BASE -> ABSENT;
            case NULL -> NULL_ROW;
            case ERROR -> throw error.get();
        };
    }
}
