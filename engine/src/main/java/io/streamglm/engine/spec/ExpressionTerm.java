package io.streamglm.engine.spec;

import io.streamglm.engine.spec.expr.Expression;

/**
 * A numeric expression over columns, e.g. {@code weight / (height ** 2)}, parsed once when the spec is read.
 * {@link #column()} is the first column the expression reads (used for messages).
 */
public record ExpressionTerm(String expr, Expression parsed) implements TermSpec {
    @Override public String type() {
        return "expression";
    }

    @Override public String column() {
        return parsed.columns().isEmpty() ? "" : parsed.columns().iterator().next();
    }
}
