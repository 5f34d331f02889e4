package io.streamglm.job.sql;

import io.streamglm.engine.model.Scorer;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.types.Row;

import java.util.Map;

/**
 * {@code GLM_PREDICT_INTERVAL(model, ...)}: a ROW with the mean, its standard error (delta method), a 95%
 * interval and the refit that scored the row (the model file's provenance, or the model log's refit id).
 */
@FunctionHint(output = @DataTypeHint("ROW<mean DOUBLE, std_error DOUBLE, lower95 DOUBLE, upper95 DOUBLE, refit STRING>"))
public class GlmPredictInterval extends ScoringFunction {
    private static final long serialVersionUID = 1L;

    public Row eval(String model, @DataTypeHint(inputGroup = InputGroup.ANY) Object... args) {
        Scorer s = scorer(model); // one model for the prediction and its label, even while a newer one arrives
        return row(s, predict(s, args));
    }

    public Row eval(String model, Map<String, String> columns) {
        Scorer s = scorer(model);
        return row(s, predict(s, columns));
    }

    private static Row row(Scorer s, Scorer.Prediction p) {
        if (p == null) {
            return null;
        }
        String refit = s.model().summary() == null ? null
                : s.model().summary().path("refit").asText(s.model().provenance().createdAt());
        return Row.of(p.mean(), p.stdError(), p.lower(), p.upper(), refit);
    }
}
