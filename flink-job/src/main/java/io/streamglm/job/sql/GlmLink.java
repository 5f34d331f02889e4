package io.streamglm.job.sql;

import io.streamglm.engine.model.Scorer;

/** {@code GLM_LINK(model, ...)}: the linear predictor (offset included), arguments as {@link GlmPredict}. */
public class GlmLink extends DoubleScoringFunction {
    private static final long serialVersionUID = 1L;

    @Override protected double value(Scorer.Prediction p) {
        return p.linearPredictor();
    }
}
