package io.streamglm.engine.design;

import java.util.List;

/** A numeric variable: one column, the value itself. */
public record NumericComponent(String name, String column) implements DesignComponent {
    @Override public int width() {
        return 1;
    }

    @Override public List<String> labels() {
        return List.of(name);
    }
}
