package io.streamglm.engine.accumulate;

import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;

/**
 * One IRLS pass: at the point's linear predictor, the deviance and validity of the means, and the weighted
 * least-squares statistics for the next step.
 *
 * @param interceptOnly accumulate only the intercept column (the null model R fits when there is an offset);
 *                      a COEFFICIENTS point then holds the single intercept coefficient
 */
public record IrlsPass(Family family, Link link, Point point, boolean interceptOnly) {
}
