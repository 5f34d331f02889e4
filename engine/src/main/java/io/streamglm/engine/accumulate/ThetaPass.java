package io.streamglm.engine.accumulate;

/**
 * Sums over rows that {@code MASS::theta.ml} and {@code glm.nb} need, at mu = g^-1(x'beta + offset).
 *
 * @param kind  which sums
 * @param theta the theta they are evaluated at (unused for {@link Kind#MOMENT})
 */
public record ThetaPass(io.streamglm.engine.link.Link link, double[] beta, Kind kind, double theta) {
    public enum Kind {
        /** sum w (y/mu - 1)^2: theta.ml's starting value. */
        MOMENT,
        /** theta.ml's score and information. */
        SCORE_INFO,
        /** glm.nb's log-likelihood. */
        LOG_LIKELIHOOD
    }
}
