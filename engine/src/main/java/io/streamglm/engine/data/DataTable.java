package io.streamglm.engine.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Training data in columns: numeric columns as {@code double[]}, categorical columns dictionary-encoded.
 * {@code source} names the data (a file) in error messages; rows are numbered from 1 in messages, header
 * excluded.
 */
public final class DataTable {
    private final String source;
    private final int rows;
    private final Map<String, double[]> numeric;
    private final Map<String, CategoricalColumn> categorical;
    private final List<String> allColumns;

    public DataTable(String source, int rows, Map<String, double[]> numeric,
                     Map<String, CategoricalColumn> categorical, List<String> allColumns) {
        this.source = source;
        this.rows = rows;
        this.numeric = Collections.unmodifiableMap(new LinkedHashMap<>(numeric));
        this.categorical = Collections.unmodifiableMap(new LinkedHashMap<>(categorical));
        this.allColumns = List.copyOf(allColumns);
        numeric.forEach((k, v) -> check(k, v.length));
        categorical.forEach((k, v) -> check(k, v.codes().length));
    }

    private void check(String column, int length) {
        if (length != rows) {
            throw new IllegalArgumentException("column " + column + " has " + length + " rows, expected " + rows);
        }
    }

    public String source() {
        return source;
    }

    public int rows() {
        return rows;
    }

    /** Every column the source has, read or not, for "did you mean" messages. */
    public List<String> allColumns() {
        return allColumns;
    }

    public Set<String> numericColumns() {
        return numeric.keySet();
    }

    public double[] numeric(String column) {
        double[] c = numeric.get(column);
        if (c == null) {
            throw new IllegalArgumentException("no numeric column " + column + " in " + source);
        }
        return c;
    }

    public CategoricalColumn categorical(String column) {
        CategoricalColumn c = categorical.get(column);
        if (c == null) {
            throw new IllegalArgumentException("no categorical column " + column + " in " + source);
        }
        return c;
    }

    /** The given rows, in that order, in the same columns (cross-validation's training and held-out folds). */
    public DataTable select(int[] rowIndices) {
        Map<String, double[]> num = numericRows(rowIndices);
        Map<String, CategoricalColumn> cat = new LinkedHashMap<>();
        categorical.forEach((k, v) -> {
            int[] codes = new int[rowIndices.length];
            for (int r = 0; r < codes.length; r++) {
                codes[r] = v.codes()[rowIndices[r]];
            }
            cat.put(k, new CategoricalColumn(codes, v.dictionary()));
        });
        return new DataTable(source, rowIndices.length, num, cat, allColumns);
    }

    /** The numeric columns at the given rows, in that order ({@link #select} and {@link #subset}). */
    private Map<String, double[]> numericRows(int[] rowIndices) {
        Map<String, double[]> num = new LinkedHashMap<>();
        numeric.forEach((k, v) -> {
            double[] out = new double[rowIndices.length];
            for (int r = 0; r < out.length; r++) {
                out[r] = v[rowIndices[r]];
            }
            num.put(k, out);
        });
        return num;
    }

    /** The first {@code n} rows, in the same columns (used for small fits and previews). */
    public DataTable head(int n) {
        int m = Math.min(n, rows);
        Map<String, double[]> num = new LinkedHashMap<>();
        numeric.forEach((k, v) -> num.put(k, java.util.Arrays.copyOf(v, m)));
        Map<String, CategoricalColumn> cat = new LinkedHashMap<>();
        categorical.forEach((k, v) -> cat.put(k, new CategoricalColumn(java.util.Arrays.copyOf(v.codes(), m), v.dictionary())));
        return new DataTable(source, m, num, cat, allColumns);
    }

    /**
     * The given rows, in that order, in the same columns; each dictionary holds only the values of those rows,
     * so that the table is the one a file of just those rows would give. For train/test splits.
     */
    public DataTable subset(int[] rowsToKeep) {
        Map<String, double[]> num = numericRows(rowsToKeep);
        Map<String, CategoricalColumn> cat = new LinkedHashMap<>();
        categorical.forEach((k, v) -> {
            // Renumber to the values the selected rows hold, in first-seen order, as a read of those rows would.
            int[] newCode = new int[v.dictionary().size()];
            java.util.Arrays.fill(newCode, -1);
            List<String> dictionary = new java.util.ArrayList<>();
            int[] out = new int[rowsToKeep.length];
            for (int i = 0; i < out.length; i++) {
                int code = v.codes()[rowsToKeep[i]];
                if (newCode[code] < 0) {
                    newCode[code] = dictionary.size();
                    dictionary.add(v.dictionary().get(code));
                }
                out[i] = newCode[code];
            }
            cat.put(k, new CategoricalColumn(out, dictionary));
        });
        return new DataTable(source, rowsToKeep.length, num, cat, allColumns);
    }
}
