package io.streamglm.engine.design;

import java.util.List;
import java.util.Map;

/**
 * A categorical column replaced by its level's training frequency (share of rows) or count; levels never seen
 * count 0. Column {@code FE(name)}.
 */
public record FrequencyComponent(String name, String column, boolean normalize, Map<String, Double> values)
        implements DesignComponent {

    public FrequencyComponent {
        values = Map.copyOf(values);
    }

    public double value(String level) {
        Double v = values.get(level);
        return v == null ? 0.0 : v;
    }

    @Override public int width() {
        return 1;
    }

    @Override public List<String> labels() {
        return List.of("FE(" + name + ")");
    }
}
