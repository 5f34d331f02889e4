package io.streamglm.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test table assembled column by column: the columns in the order added (numeric and categorical
 * interleaved as given), each kind's map in the same order. What the tests' synthetic tables share.
 */
public final class TestColumns {
    private final Map<String, double[]> numeric = new LinkedHashMap<>();
    private final Map<String, CategoricalColumn> categorical = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    public TestColumns numeric(String name, double[] values) {
        numeric.put(name, values);
        order.add(name);
        return this;
    }

    public TestColumns categorical(String name, int[] codes, List<String> levels) {
        categorical.put(name, new CategoricalColumn(codes, levels));
        order.add(name);
        return this;
    }

    public TestColumns categorical(String name, int[] codes, String... levels) {
        return categorical(name, codes, List.of(levels));
    }

    public DataTable table(String source, int rows) {
        return new DataTable(source, rows, numeric, categorical, order);
    }

    /** Sets the cells of row {@code i}; random draws made here are made row by row, in the order written. */
    @FunctionalInterface
    public interface RowDraw {
        void draw(int i, Row row);
    }

    /**
     * A table of {@code rows} rows drawn one row at a time, so that a test's synthetic data reads as the
     * model that generated it instead of one array per column. The columns take the order of row 0's calls.
     */
    public static DataTable drawn(String source, int rows, RowDraw draw) {
        Row row = new Row(rows);
        for (int i = 0; i < rows; i++) {
            row.at = i;
            draw.draw(i, row);
        }
        TestColumns columns = new TestColumns();
        for (String name : row.order) {
            if (row.numeric.containsKey(name)) {
                columns.numeric(name, row.numeric.get(name));
            } else {
                columns.categorical(name, row.codes.get(name), row.levels.get(name));
            }
        }
        return columns.table(source, rows);
    }

    /** The cells of the row being drawn; each setter returns the row for the next cell. */
    public static final class Row {
        private final int rows;
        private final Map<String, double[]> numeric = new LinkedHashMap<>();
        private final Map<String, int[]> codes = new LinkedHashMap<>();
        private final Map<String, List<String>> levels = new LinkedHashMap<>();
        private final List<String> order = new ArrayList<>();
        private int at;

        private Row(int rows) {
            this.rows = rows;
        }

        public Row numeric(String name, double value) {
            numeric.computeIfAbsent(name, this::column)[at] = value;
            return this;
        }

        public Row categorical(String name, int code, List<String> columnLevels) {
            codes.computeIfAbsent(name, k -> {
                levels.put(k, columnLevels);
                order.add(k);
                return new int[rows];
            })[at] = code;
            return this;
        }

        private double[] column(String name) {
            order.add(name);
            return new double[rows];
        }
    }
}
