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
}
