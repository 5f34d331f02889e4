package io.streamglm.job.sql;

import io.streamglm.engine.model.Scorer;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;

import java.util.Map;

/**
 * A scoring function that returns one number of the row's prediction: the two call forms (positional columns,
 * or a map of named columns) are here once, and each function says which number ({@link #value}). Flink finds
 * the inherited {@code eval} methods as the function's own.
 */
public abstract class DoubleScoringFunction extends ScoringFunction {
    private static final long serialVersionUID = 1L;

    /** The number of a prediction this function returns. */
    protected abstract double value(Scorer.Prediction p);

    public Double eval(String model, @DataTypeHint(inputGroup = InputGroup.ANY) Object... args) {
        Scorer.Prediction p = predict(model, args);
        return p == null ? null : value(p);
    }

    public Double eval(String model, Map<String, String> columns) {
        Scorer.Prediction p = predict(model, columns);
        return p == null ? null : value(p);
    }
}
