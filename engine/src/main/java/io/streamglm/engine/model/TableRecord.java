package io.streamglm.engine.model;

import io.streamglm.engine.data.CategoricalColumn;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.RecordValues;

import java.util.HashMap;
import java.util.Map;

/** One row of a {@link DataTable} as a record a {@code Scorer} reads; columns the table lacks are missing. */
final class TableRecord implements RecordValues {
    private final DataTable table;
    private final Map<String, double[]> numbers = new HashMap<>();
    private final Map<String, CategoricalColumn> texts = new HashMap<>();
    private int row;

    TableRecord(DataTable table) {
        this.table = table;
    }

    TableRecord at(int r) {
        row = r;
        return this;
    }

    @Override public double number(String column) {
        double[] v = numbers.computeIfAbsent(column,
                c -> table.numericColumns().contains(c) ? table.numeric(c) : new double[0]);
        return row < v.length ? v[row] : Double.NaN;
    }

    @Override public String text(String column) {
        CategoricalColumn c = texts.computeIfAbsent(column, this::categoricalOrNull);
        return c == null ? null : c.value(row);
    }

    private CategoricalColumn categoricalOrNull(String column) {
        try {
            return table.categorical(column);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
