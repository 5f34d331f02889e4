package io.streamglm.engine.design;

import io.streamglm.engine.spec.expr.Expression;

import java.util.List;

/** A numeric expression over columns, one column named by its term key. */
public record ExpressionComponent(String name, String expr, Expression expression) implements DesignComponent {
    @Override public String column() {
        return expression.columns().isEmpty() ? "" : expression.columns().iterator().next();
    }

    @Override public int width() {
        return 1;
    }

    @Override public List<String> labels() {
        return List.of(name);
    }
}
