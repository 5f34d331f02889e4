package io.streamglm.engine.design;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.Suggestions;
import io.streamglm.engine.spec.UnseenLevelPolicy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Encodes rows of a {@link DataTable} into sparse design rows (column index, value) with a frozen design. Column
 * references, level maps and encodings are resolved once per table. With the training response given, target
 * encodings use ordered statistics (each row sees only the rows before it in a seeded order); without it, the
 * frozen full-data statistics, as in scoring.
 */
public final class TableEncoder {
    /** Returned by {@link #encode} for a row whose prediction must be null (an unseen level under policy null). */
    public static final int NULL_ROW = -1;
    /** Entries of a component meaning "this term has no value in this row" (a base level). */
    private static final int ABSENT = -2;

    private final FittedDesign design;
    private final DataTable data;
    private final BoundTerm[] terms;

    /** Encodes with the frozen statistics (scoring, later windows). */
    public TableEncoder(FittedDesign design, DataTable data) {
        this(design, data, null);
    }

    /** @param trainingResponse the training response, for ordered target statistics; null when scoring */
    public TableEncoder(FittedDesign design, DataTable data, double[] trainingResponse) {
        this.design = design;
        this.data = data;
        List<DesignTerm> list = design.terms();
        this.terms = new BoundTerm[list.size()];
        for (int t = 0; t < list.size(); t++) {
            terms[t] = new BoundTerm(list.get(t), data, trainingResponse);
        }
    }

    public FittedDesign design() {
        return design;
    }

    /**
     * Writes row {@code row}'s non-zeros (ascending column index) into {@code idx}/{@code val} from position 0;
     * the arrays must hold {@link FittedDesign#maxNonZeros()} entries.
     *
     * @return the number of non-zeros, or {@link #NULL_ROW} when an unseen level under policy {@code null}
     *         makes the row unusable
     * @throws DataException for an unseen level under policy {@code error}
     */
    public int encode(int row, int[] idx, double[] val) {
        int pos = 0;
        if (design.intercept()) {
            idx[0] = 0;
            val[0] = 1.0;
            pos = 1;
        }
        for (BoundTerm t : terms) {
            int k = t.entries(row, idx, val, pos);
            if (k == NULL_ROW) {
                return NULL_ROW;
            }
            pos += k;
        }
        return pos;
    }

    /** Term t's entries for a row, at {@code idx/val[pos ..]}; the count, or {@link #NULL_ROW}. */
    int termEntries(int t, int row, int[] idx, double[] val, int pos) {
        return terms[t].entries(row, idx, val, pos);
    }

    /** A term bound to a table: the product of its components' entries. */
    private final class BoundTerm {
        private final DesignTerm term;
        private final BoundComponent[] components;
        private final int[] strides;
        private final int[] compIdx;
        private final double[] compVal;
        private final int[] workIdx;
        private final double[] workVal;

        BoundTerm(DesignTerm term, DataTable data, double[] y) {
            this.term = term;
            int c = term.components().size();
            components = new BoundComponent[c];
            strides = new int[c];
            int s = 1;
            int maxComp = 1;
            for (int j = 0; j < c; j++) {
                DesignComponent comp = term.components().get(j);
                components[j] = bind(comp, data, y);
                strides[j] = s;
                s *= comp.width();
                maxComp = Math.max(maxComp, comp.maxEntries());
            }
            compIdx = new int[maxComp];
            compVal = new double[maxComp];
            workIdx = new int[term.maxEntries()];
            workVal = new double[term.maxEntries()];
        }

        int entries(int row, int[] idx, double[] val, int pos) {
            int n = 1;
            idx[pos] = 0;
            val[pos] = 1.0;
            for (int j = 0; j < components.length; j++) {
                int k = components[j].entries(row, compIdx, compVal);
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
            int first = term.firstColumn();
            for (int q = 0; q < n; q++) {
                idx[pos + q] += first;
            }
            return n;
        }
    }

    /** A component bound to a table: for a row, its local column indices (ascending) and values. */
    private interface BoundComponent {
        /** The count of entries, {@link #ABSENT}, or {@link #NULL_ROW}. */
        int entries(int row, int[] idx, double[] val);
    }

    private BoundComponent bind(DesignComponent comp, DataTable data, double[] y) {
        if (comp instanceof NumericComponent n) {
            double[] x = data.numeric(n.column());
            return (row, idx, val) -> one(idx, val, x[row]);
        }
        if (comp instanceof FactorComponent f) {
            return bindFactor(f, data);
        }
        if (comp instanceof SplineComponent s) {
            double[] x = data.numeric(s.column());
            return (row, idx, val) -> {
                double[] basis = s.basis().row(x[row]);
                int k = 0;
                for (int j = 0; j < basis.length; j++) {
                    if (basis[j] != 0 || s.dense()) {
                        idx[k] = j;
                        val[k++] = basis[j];
                    }
                }
                return k;
            };
        }
        if (comp instanceof ExpressionComponent e) {
            Map<String, double[]> columns = new HashMap<>();
            for (String c : e.expression().columns()) {
                columns.put(c, data.numeric(c));
            }
            return (row, idx, val) -> one(idx, val, e.expression().evaluate(c -> columns.get(c)[row]));
        }
        if (comp instanceof FrequencyComponent f) {
            CategoricalColumn col = data.categorical(f.column());
            double[] byCode = new double[col.dictionary().size()];
            for (int code = 0; code < byCode.length; code++) {
                byCode[code] = f.value(col.dictionary().get(code));
            }
            return (row, idx, val) -> one(idx, val, byCode[col.codes()[row]]);
        }
        if (comp instanceof TargetComponent t) {
            CategoricalColumn col = data.categorical(t.column());
            double[] values = y != null ? orderedTargetStatistics(t, col, y) : null;
            double[] byCode = new double[col.dictionary().size()];
            for (int code = 0; code < byCode.length; code++) {
                byCode[code] = t.value(col.dictionary().get(code));
            }
            return (row, idx, val) -> one(idx, val, values != null ? values[row] : byCode[col.codes()[row]]);
        }
        throw new IllegalStateException("unsupported component " + comp);
    }

    private static int one(int[] idx, double[] val, double v) {
        idx[0] = 0;
        val[0] = v;
        return 1;
    }

    private BoundComponent bindFactor(FactorComponent f, DataTable data) {
        CategoricalColumn col = data.categorical(f.column());
        Map<String, Integer> index = f.levelIndex();
        int unseen = Integer.MIN_VALUE;
        int[] localOfCode = new int[col.dictionary().size()];
        for (int code = 0; code < localOfCode.length; code++) {
            Integer level = index.get(col.dictionary().get(code));
            localOfCode[code] = level == null ? unseen : f.localIndex(level);
        }
        int[] codes = col.codes();
        return (row, idx, val) -> {
            int li = localOfCode[codes[row]];
            if (li == unseen) {
                if (f.unseen() == UnseenLevelPolicy.BASE) {
                    return ABSENT;
                }
                if (f.unseen() == UnseenLevelPolicy.NULL) {
                    return NULL_ROW;
                }
                String value = col.value(row);
                String fix = Suggestions.didYouMean(value, f.levels());
                throw DataException.at(data.source(), row + 1L, f.column(),
                        "level '" + value + "' of '" + f.name() + "' was not seen when the model was fitted",
                        (fix == null ? "" : fix + "; ") + "or set \"unseen\": \"base\" or \"null\" on the term");
            }
            if (li < 0) {
                return ABSENT;
            }
            idx[0] = li;
            val[0] = 1.0;
            return 1;
        };
    }

    /**
     * Ordered target statistics: rows visited in a random order drawn from the term's seed; each row gets
     * (sum of earlier responses of its level + w * prior) / (earlier rows of its level + w).
     */
    static double[] orderedTargetStatistics(TargetComponent t, CategoricalColumn col, double[] y) {
        int n = y.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(t.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int levels = col.dictionary().size();
        double[] sum = new double[levels];
        double[] count = new double[levels];
        double[] out = new double[n];
        int[] codes = col.codes();
        for (int k = 0; k < n; k++) {
            int i = order[k];
            int level = codes[i];
            out[i] = (sum[level] + t.priorWeight() * t.prior()) / (count[level] + t.priorWeight());
            sum[level] += y[i];
            count[level]++;
        }
        return out;
    }
}
