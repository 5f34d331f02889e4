package io.streamglm.engine.design;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** Every column some component reads, in the design's order; components read them by position. */
    private final List<String> columns;
    private final TermExpansion<ColumnValues>[] terms;

    public RecordEncoder(FittedDesign design) {
        this.design = design;
        this.columns = List.copyOf(columnsRead(design));
        this.terms = TermExpansion.bind(design, term -> new Term(term, columns));
    }

    private static Set<String> columnsRead(FittedDesign design) {
        Set<String> out = new LinkedHashSet<>();
        for (DesignTerm term : design.terms()) {
            for (DesignComponent comp : term.components()) {
                String column = Term.column(comp);
                if (column != null) {
                    out.add(column);
                }
            }
        }
        return out;
    }

    /**
     * The columns the design's components read by name, each once: the positions a {@link ColumnValues} record
     * is read by. (An expression's columns are not here; it reads them by name.)
     */
    public List<String> columns() {
        return columns;
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
        ColumnValues values = record instanceof ColumnValues c && c.columns() == columns ? c
                : new ByName(record, columns);
        return TermExpansion.row(values, design.intercept(), terms, idx, val);
    }

    /** A record read by name, presented by position: each position asks for its column's name. */
    private record ByName(RecordValues record, List<String> columns) implements ColumnValues {
        @Override public double number(String column) {
            return record.number(column);
        }

        @Override public String text(String column) {
            return record.text(column);
        }

        @Override public double number(int column) {
            return record.number(columns.get(column));
        }

        @Override public String text(int column) {
            return record.text(columns.get(column));
        }
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
    private static final class Term implements TermExpansion.Components<ColumnValues> {
        private final DesignComponent[] components;
        private final Map<String, Integer>[] levels;
        /** Per component: the position of the column it reads, or -1 (an expression reads by name). */
        private final int[] column;

        @SuppressWarnings("unchecked")
        Term(DesignTerm term, List<String> columns) {
            components = term.components().toArray(new DesignComponent[0]);
            levels = new Map[components.length];
            column = new int[components.length];
            for (int j = 0; j < components.length; j++) {
                if (components[j] instanceof FactorComponent f) {
                    levels[j] = f.levelIndex();
                }
                String name = column(components[j]);
                column[j] = name == null ? -1 : columns.indexOf(name);
            }
        }

        /** The one column a component reads, or null when it reads by name (an expression, over any columns). */
        static String column(DesignComponent comp) {
            return comp instanceof ExpressionComponent ? null : comp.column();
        }

        // Numbers and levels, most components, are decided here; the method stays small enough to inline.
        @Override public int entries(ColumnValues record, int j, int[] idx, double[] val) {
            DesignComponent comp = components[j];
            if (comp instanceof NumericComponent) {
                return TermExpansion.one(idx, val, record.number(column[j]));
            }
            if (comp instanceof FactorComponent f) {
                return level(record.text(column[j]), f, levels[j], idx, val);
            }
            return other(record, comp, column[j], idx, val);
        }

        private static int level(String level, FactorComponent f, Map<String, Integer> levels, int[] idx,
                                 double[] val) {
            Integer index = level == null ? null : levels.get(level);
            if (index == null) {
                return TermExpansion.unseen(f,
                        () -> new UnseenLevelException(f.column(), String.valueOf(level), f.name()));
            }
            return TermExpansion.level(f.localIndex(index), idx, val);
        }

        private static int other(ColumnValues record, DesignComponent comp, int column, int[] idx, double[] val) {
            if (comp instanceof SplineComponent s) {
                return TermExpansion.spline(s, record.number(column), idx, val);
            }
            if (comp instanceof ExpressionComponent e) {
                return TermExpansion.one(idx, val, e.expression().evaluate(record::number));
            }
            if (comp instanceof FrequencyComponent f) {
                String level = record.text(column);
                return TermExpansion.one(idx, val, level == null ? 0.0 : f.value(level));
            }
            if (comp instanceof TargetComponent t) {
                String level = record.text(column);
                return TermExpansion.one(idx, val, level == null ? t.prior() : t.value(level));
            }
            throw new IllegalStateException("unsupported component " + comp);
        }
    }
}
