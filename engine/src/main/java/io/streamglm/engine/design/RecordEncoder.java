package io.streamglm.engine.design;

import java.util.Map;

/**
 * Encodes single records (stream events, scoring calls) into sparse design rows with a frozen design. Level maps
 * are built once; encoding a record allocates only what a spline basis needs. Gives the same row as
 * {@link TableEncoder} without a training response (target encodings use the frozen full-data statistics): both
 * expand terms by {@link TermExpansion}.
 */
public final class RecordEncoder {
    /** Returned by {@link #encode} for a record whose prediction must be null (an unseen level under policy null). */
    public static final int NULL_ROW = TermExpansion.NULL_ROW;

    private final FittedDesign design;
    private final TermExpansion[] terms;
    /** The record being encoded, read by the bound components. */
    private RecordValues record;

    public RecordEncoder(FittedDesign design) {
        this.design = design;
        this.terms = TermExpansion.bind(design, this::bind);
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
        this.record = record;
        return TermExpansion.row(design.intercept(), terms, idx, val);
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

    private TermExpansion.Component bind(DesignComponent comp) {
        if (comp instanceof NumericComponent n) {
            String column = n.column();
            return (idx, val) -> TermExpansion.one(idx, val, record.number(column));
        }
        if (comp instanceof FactorComponent f) {
            Map<String, Integer> levels = f.levelIndex();
            return (idx, val) -> {
                String level = record.text(f.column());
                Integer index = level == null ? null : levels.get(level);
                if (index == null) {
                    return TermExpansion.unseen(f,
                            () -> new UnseenLevelException(f.column(), String.valueOf(level), f.name()));
                }
                return TermExpansion.level(f.localIndex(index), idx, val);
            };
        }
        if (comp instanceof SplineComponent s) {
            return (idx, val) -> TermExpansion.spline(s, record.number(s.column()), idx, val);
        }
        if (comp instanceof ExpressionComponent e) {
            return (idx, val) -> TermExpansion.one(idx, val, e.expression().evaluate(record::number));
        }
        if (comp instanceof FrequencyComponent f) {
            return (idx, val) -> {
                String level = record.text(f.column());
                return TermExpansion.one(idx, val, level == null ? 0.0 : f.value(level));
            };
        }
        if (comp instanceof TargetComponent t) {
            return (idx, val) -> {
                String level = record.text(t.column());
                return TermExpansion.one(idx, val, level == null ? t.prior() : t.value(level));
            };
        }
        throw new IllegalStateException("unsupported component " + comp);
    }
}
