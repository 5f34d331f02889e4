package io.streamglm.job.sql;

import io.streamglm.engine.model.Scorer;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;

import java.util.Map;

/** {@code GLM_LINK(model, ...)}: the linear predictor (offset included), arguments as {@link GlmPredict}. */
public class GlmLink extends ScoringFunction {
    private static final long serialVersionUID = 1L;

    public Double eval(String model, @DataTypeHint(inputGroup = InputGroup.ANY) Object... args) {
        Scorer.Prediction p = predict(model, args);
        return p == null ? null : p.linearPredictor();
    }

    public Double eval(String model, Map<String, String> columns) {
        Scorer.Prediction p = predict(model, columns);
        return p == null ? null : p.linearPredictor();
    }
}
