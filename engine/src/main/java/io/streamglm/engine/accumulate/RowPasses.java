package io.streamglm.engine.accumulate;

/**
 * Runs passes over all rows of a model and returns the merged accumulator. The fitter is written against this
 * interface only, so the same R-faithful IRLS runs over rows in memory, over a window held in Flink state, or
 * over shards that receive the coefficients through a feedback topic.
 */
public interface RowPasses {

    /** Number of design columns p of the full design. */
    int columns();

    IrlsAccumulator irls(IrlsPass pass);

    InferenceAccumulator inference(InferencePass pass);

    /** Sums for theta estimation: 1 sum for MOMENT and LOG_LIKELIHOOD, 2 for SCORE_INFO. */
    ScalarSums theta(ThetaPass pass);
}
