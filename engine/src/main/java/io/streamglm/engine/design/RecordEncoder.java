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
    private final TermExpansion<RecordValues>[] terms;

    public RecordEncoder(FittedDesign design) {
        this.design = design;
        this.terms = TermExpansion.bind(design, Term::new);
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
        return TermExpansion.row(record, design.intercept(), terms, idx, val);
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

    /** A term's components read from the record being encoded (one class, so the expansion's call stays direct). */
    private static final class Term implements TermExpansion.Components<RecordValues> {
        private final DesignComponent[] components;
        private final Map<String, Integer>[] levels;

        @SuppressWarnings("unchecked")
        Term(DesignTerm term) {
            components = term.components().toArray(new DesignComponent[0]);
            levels = new Map[components.length];
            for (int j = 0; j < components.length; j++) {
                if (components[j] instanceof FactorComponent f) {
                    levels[j] = f.levelIndex();
                }
            }
        }

        // Numbers and levels, most components, are decided here; the method stays small enough to inline.
        @Override public int entries(RecordValues record, int j, int[] idx, double[] val) {
            DesignComponent comp = components[j];
            if (comp instanceof NumericComponent n) {
                return TermExpansion.one(idx, val, record.number(n.column()));
            }
            if (comp instanceof FactorComponent f) {
                return level(record, f, levels[j], idx, val);
            }
            return other(record, comp, idx, val);
        }

        private static int level(RecordValues record, FactorComponent f, Map<String, Integer> levels, int[] idx,
                                 double[] val) {
            String level = record.text(f.column());
            Integer index = level == null ? null : levels.get(level);
            if (index == null) {
                return TermExpansion.unseen(f,
                        () -> new UnseenLevelException(f.column(), String.valueOf(level), f.name()));
            }
            return TermExpansion.level(f.localIndex(index), idx, val);
        }

        private static int other(RecordValues record, DesignComponent comp, int[] idx, double[] val) {
            if (comp instanceof SplineComponent s) {
                return TermExpansion.spline(s, record.number(s.column()), idx, val);
            }
            if (comp instanceof ExpressionComponent e) {
                return TermExpansion.one(idx, val, e.expression().evaluate(record::number));
            }
            if (comp instanceof FrequencyComponent f) {
                String level = record.text(f.column());
                return TermExpansion.one(idx, val, level == null ? 0.0 : f.value(level));
            }
            if (comp instanceof TargetComponent t) {
                String level = record.text(t.column());
                return TermExpansion.one(idx, val, level == null ? t.prior() : t.value(level));
            }
            throw new IllegalStateException("unsupported component " + comp);
        }
    }
}
