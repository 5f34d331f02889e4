package io.streamglm.engine.design;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.spec.Suggestions;
import io.streamglm.engine.spec.UnseenLevelPolicy;

import java.util.List;
import java.util.Map;

/**
 * Encodes rows of a {@link DataTable} into sparse design rows (column index, value) with a frozen design.
 * Column references and level maps are resolved once; {@link #encode} allocates nothing.
 */
public final class TableEncoder {
    /** Marks a dictionary code whose level the design does not know. */
    private static final int UNSEEN = Integer.MIN_VALUE;
    /** Returned by {@link #encode} for a row whose prediction must be null (an unseen level under policy null). */
    public static final int NULL_ROW = -1;

    private final FittedDesign design;
    private final DataTable data;
    private final int[] termFirst;
    private final int[][] compWidth;
    /** Per term and component: the numeric column, or null for a factor. */
    private final double[][][] numeric;
    /** Per term and component: the factor's codes, or null for a number. */
    private final int[][][] codes;
    /** Per term and component: dictionary code to local column index (-1 none, UNSEEN unknown). */
    private final int[][][] localOfCode;
    private final FactorComponent[][] factors;

    public TableEncoder(FittedDesign design, DataTable data) {
        this.design = design;
        this.data = data;
        List<DesignTerm> terms = design.terms();
        int t = terms.size();
        termFirst = new int[t];
        compWidth = new int[t][];
        numeric = new double[t][][];
        codes = new int[t][][];
        localOfCode = new int[t][][];
        factors = new FactorComponent[t][];
        for (int i = 0; i < t; i++) {
            DesignTerm term = terms.get(i);
            int c = term.components().size();
            termFirst[i] = term.firstColumn();
            compWidth[i] = new int[c];
            numeric[i] = new double[c][];
            codes[i] = new int[c][];
            localOfCode[i] = new int[c][];
            factors[i] = new FactorComponent[c];
            for (int j = 0; j < c; j++) {
                DesignComponent comp = term.components().get(j);
                compWidth[i][j] = comp.width();
                if (comp instanceof NumericComponent n) {
                    numeric[i][j] = data.numeric(n.column());
                } else if (comp instanceof FactorComponent f) {
                    CategoricalColumn col = data.categorical(f.column());
                    codes[i][j] = col.codes();
                    factors[i][j] = f;
                    Map<String, Integer> index = f.levelIndex();
                    int[] map = new int[col.dictionary().size()];
                    for (int code = 0; code < map.length; code++) {
                        Integer level = index.get(col.dictionary().get(code));
                        map[code] = level == null ? UNSEEN : f.localIndex(level);
                    }
                    localOfCode[i][j] = map;
                }
            }
        }
    }

    public FittedDesign design() {
        return design;
    }

    /**
     * Writes row {@code row}'s non-zeros (ascending column index) into {@code idx}/{@code val} from position 0.
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
        for (int t = 0; t < termFirst.length; t++) {
            int local = 0;
            int stride = 1;
            double v = 1.0;
            boolean present = true;
            int[] widths = compWidth[t];
            for (int c = 0; c < widths.length; c++) {
                double[] num = numeric[t][c];
                if (num != null) {
                    v *= num[row];
                } else {
                    int li = localOfCode[t][c][codes[t][c][row]];
                    if (li == UNSEEN) {
                        li = unseen(t, c, row);
                        if (li == NULL_ROW) {
                            return NULL_ROW;
                        }
                    }
                    if (li < 0) {
                        present = false;
                        break;
                    }
                    local += li * stride;
                }
                stride *= widths[c];
            }
            if (present) {
                idx[pos] = termFirst[t] + local;
                val[pos] = v;
                pos++;
            }
        }
        return pos;
    }

    private int unseen(int t, int c, int row) {
        FactorComponent f = factors[t][c];
        if (f.unseen() == UnseenLevelPolicy.BASE) {
            return -1;
        }
        if (f.unseen() == UnseenLevelPolicy.NULL) {
            return NULL_ROW;
        }
        String value = data.categorical(f.column()).value(row);
        String fix = Suggestions.didYouMean(value, f.levels());
        throw DataException.at(data.source(), row + 1L, f.column(),
                "level '" + value + "' of '" + f.name() + "' was not seen when the model was fitted",
                (fix == null ? "" : fix + "; ") + "or set \"unseen\": \"base\" or \"null\" on the term");
    }
}
