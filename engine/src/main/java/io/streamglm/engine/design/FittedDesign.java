package io.streamglm.engine.design;

import java.util.ArrayList;
import java.util.List;

/**
 * The frozen design: everything data-dependent (levels and their coding, column order and labels) fixed at fit
 * time, so that fitting, streaming and scoring turn the same record into the same design row.
 *
 * @param intercept whether column 0 is the intercept
 * @param terms     the terms in R's order (main effects, then two-way, then three-way interactions)
 */
public record FittedDesign(boolean intercept, List<DesignTerm> terms) {

    public static final String INTERCEPT = "Intercept";

    public FittedDesign {
        terms = List.copyOf(terms);
        int expected = intercept ? 1 : 0;
        for (DesignTerm t : terms) {
            if (t.firstColumn() != expected) {
                throw new IllegalArgumentException("term " + t.label() + " starts at column " + t.firstColumn()
                        + ", expected " + expected);
            }
            expected += t.width();
        }
    }

    /** Number of design columns p. */
    public int columns() {
        int p = intercept ? 1 : 0;
        for (DesignTerm t : terms) {
            p += t.width();
        }
        return p;
    }

    /** The most non-zeros one row can have. */
    public int maxNonZeros() {
        int m = intercept ? 1 : 0;
        for (DesignTerm t : terms) {
            m += t.maxEntries();
        }
        return m;
    }

    /** The most sparse entries one row can have (terms that are not dense). */
    public int maxSparseEntries() {
        int m = 0;
        for (DesignTerm t : terms) {
            if (!t.dense()) {
                m += t.maxEntries();
            }
        }
        return m;
    }

    /**
     * The columns every row has a value in, ascending: the intercept and the columns of dense terms (numbers,
     * expressions, encodings, natural splines). The accumulators keep these in compact dense blocks.
     */
    public int[] denseColumns() {
        List<Integer> cols = new ArrayList<>();
        if (intercept) {
            cols.add(0);
        }
        for (DesignTerm t : terms) {
            if (t.dense()) {
                for (int k = 0; k < t.width(); k++) {
                    cols.add(t.firstColumn() + k);
                }
            }
        }
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Column labels in order, {@code Intercept} first when present. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>(columns());
        if (intercept) {
            names.add(INTERCEPT);
        }
        for (DesignTerm t : terms) {
            names.addAll(t.columnLabels());
        }
        return names;
    }
}
