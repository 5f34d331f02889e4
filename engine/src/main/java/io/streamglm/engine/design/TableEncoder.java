package io.streamglm.engine.design;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.Suggestions;

import java.util.HashMap;
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
    public static final int NULL_ROW = TermExpansion.NULL_ROW;
    /** A factor's code for a level the design does not know. */
    private static final int UNSEEN = Integer.MIN_VALUE;

    private final FittedDesign design;
    private final DataTable data;
    private final double[] trainingResponse;
    private final TermExpansion<TableEncoder>[] terms;
    /** The row being encoded: the expansion passes this encoder down, and its components read the row. */
    private int row;

    /** Encodes with the frozen statistics (scoring, later windows). */
    public TableEncoder(FittedDesign design, DataTable data) {
        this(design, data, null);
    }

    /** @param trainingResponse the training response, for ordered target statistics; null when scoring */
    public TableEncoder(FittedDesign design, DataTable data, double[] trainingResponse) {
        this.design = design;
        this.data = data;
        this.trainingResponse = trainingResponse;
        this.terms = TermExpansion.bind(design, this::bindTerm);
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
        this.row = row;
        return TermExpansion.row(this, design.intercept(), terms, idx, val);
    }

    /** Term t's entries for a row, at {@code idx/val[pos ..]}; the count, or {@link #NULL_ROW}. */
    int termEntries(int t, int row, int[] idx, double[] val, int pos) {
        this.row = row;
        return terms[t].entries(this, idx, val, pos);
    }

    /** A component bound to the table's columns, resolved once: its entries in a row. */
    private interface Component {
        /** The count of entries, {@link TermExpansion#ABSENT}, or {@link #NULL_ROW}. */
        int entries(int row, int[] idx, double[] val);
    }

    /** A term's components bound to the table. */
    private TermExpansion.Components<TableEncoder> bindTerm(DesignTerm term) {
        Component[] bound = new Component[term.components().size()];
        for (int j = 0; j < bound.length; j++) {
            bound[j] = bind(term.components().get(j));
        }
        return (encoder, j, idx, val) -> bound[j].entries(encoder.row, idx, val);
    }

    private Component bind(DesignComponent comp) {
        if (comp instanceof NumericComponent n) {
            double[] x = data.numeric(n.column());
            return (row, idx, val) -> TermExpansion.one(idx, val, x[row]);
        }
        if (comp instanceof FactorComponent f) {
            return bindFactor(f);
        }
        if (comp instanceof SplineComponent s) {
            double[] x = data.numeric(s.column());
            return (row, idx, val) -> TermExpansion.spline(s, x[row], idx, val);
        }
        if (comp instanceof ExpressionComponent e) {
            Map<String, double[]> columns = new HashMap<>();
            for (String c : e.expression().columns()) {
                columns.put(c, data.numeric(c));
            }
            return (row, idx, val) -> TermExpansion.one(idx, val, e.expression().evaluate(c -> columns.get(c)[row]));
        }
        if (comp instanceof FrequencyComponent f) {
            CategoricalColumn col = data.categorical(f.column());
            double[] byCode = new double[col.dictionary().size()];
            for (int code = 0; code < byCode.length; code++) {
                byCode[code] = f.value(col.dictionary().get(code));
            }
            return (row, idx, val) -> TermExpansion.one(idx, val, byCode[col.codes()[row]]);
        }
        if (comp instanceof TargetComponent t) {
            CategoricalColumn col = data.categorical(t.column());
            double[] values = trainingResponse != null ? orderedTargetStatistics(t, col, trainingResponse) : null;
            double[] byCode = new double[col.dictionary().size()];
            for (int code = 0; code < byCode.length; code++) {
                byCode[code] = t.value(col.dictionary().get(code));
            }
            int[] codes = col.codes();
            return (row, idx, val) -> TermExpansion.one(idx, val, values != null ? values[row] : byCode[codes[row]]);
        }
        throw new IllegalStateException("unsupported component " + comp);
    }

    private Component bindFactor(FactorComponent f) {
        CategoricalColumn col = data.categorical(f.column());
        Map<String, Integer> index = f.levelIndex();
        int[] localOfCode = new int[col.dictionary().size()];
        for (int code = 0; code < localOfCode.length; code++) {
            Integer level = index.get(col.dictionary().get(code));
            localOfCode[code] = level == null ? UNSEEN : f.localIndex(level);
        }
        int[] codes = col.codes();
        return (row, idx, val) -> {
            int li = localOfCode[codes[row]];
            if (li == UNSEEN) {
                return TermExpansion.unseen(f, () -> unseenLevel(f, col, row));
            }
            return TermExpansion.level(li, idx, val);
        };
    }

    private DataException unseenLevel(FactorComponent f, CategoricalColumn col, int row) {
        String value = col.value(row);
        String fix = Suggestions.didYouMean(value, f.levels());
        return DataException.at(data.source(), row + 1L, f.column(),
                "level '" + value + "' of '" + f.name() + "' was not seen when the model was fitted",
                (fix == null ? "" : fix + "; ") + "or set \"unseen\": \"base\" or \"null\" on the term");
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
