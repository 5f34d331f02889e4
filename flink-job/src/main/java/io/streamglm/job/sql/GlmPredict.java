package io.streamglm.job.sql;

import io.streamglm.engine.model.Scorer;

/**
 * {@code GLM_PREDICT(model, col1, col2, ...)}: the predicted mean on the response scale. Positional arguments
 * follow the spec's terms' columns, then the offset/exposure column; {@code GLM_PREDICT(model, MAP['col', 'v', ...])}
 * takes named columns instead.
 */
public class GlmPredict extends DoubleScoringFunction {
    private static final long serialVersionUID = 1L;

    @Override protected double value(Scorer.Prediction p) {
        return p.mean();
    }
}
