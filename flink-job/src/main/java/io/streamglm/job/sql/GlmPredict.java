package io.streamglm.job.sql;

import io.streamglm.engine.model.Scorer;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;

import java.util.Map;

/**
 * {@code GLM_PREDICT(model, col1, col2, ...)}: the predicted mean on the response scale. Positional arguments
 * follow the spec's terms' columns, then the offset/exposure column; {@code GLM_PREDICT(model, MAP['col', 'v', ...])}
 * takes named columns instead.
 */
public class GlmPredict extends ScoringFunction {
    private static final long serialVersionUID = 1L;

    public Double eval(String model, @DataTypeHint(inputGroup = InputGroup.ANY) Object... args) {
        Scorer.Prediction p = predict(model, args);
        return p == null ? null : p.mean();
    }

    public Double eval(String model, Map<String, String> columns) {
        Scorer.Prediction p = predict(model, columns);
        return p == null ? null : p.mean();
    }
}
