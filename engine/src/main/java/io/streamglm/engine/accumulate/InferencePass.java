package io.streamglm.engine.accumulate;

import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;

/**
 * The pass after convergence.
 *
 * @param beta          final coefficients (aliased ones zero)
 * @param solvedAt      the point whose X'WX gave {@code beta}: its working weights are R's {@code fit$weights},
 *                      used for the dispersion, hat values and sandwich
 * @param covUnscaled   (X'WX)^-1 at {@code solvedAt}, full row-major p x p, zero rows/columns for aliased
 * @param deviance      the fit's deviance (Gamma's AIC depends on it)
 * @param sumWeights    sum of prior weights
 * @param nullMean      the null model's mean (weighted mean of y) when the model has an intercept; null to use
 *                      g^-1(offset) per row, as R without one
 */
public record InferencePass(Family family, Link link, double[] beta, Point solvedAt, double[] covUnscaled,
                            double deviance, double sumWeights, Double nullMean) {
}
