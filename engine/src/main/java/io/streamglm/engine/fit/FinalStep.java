package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.family.Family;

/**
 * What R keeps in a fitted {@code glm} object beyond the summary, needed for its diagnostics: the family object
 * of the last IRLS run (for a negative binomial the theta that run used, as {@code glm.nb}'s {@code fit$family}),
 * the final coefficients, the point whose working weights gave the last weighted least-squares step (R's
 * {@code fit$weights} and {@code fit$qr}), and (X'WX)^-1 of that step.
 *
 * @param beta                final coefficients, aliased ones zero
 * @param unscaledCovariance  (X'WX)^-1 at {@code solvedAt}, row-major p x p, zero rows and columns where aliased
 */
public record FinalStep(Family family, double[] beta, Point solvedAt, double[] unscaledCovariance,
                        boolean[] aliased, int rank) {

    static FinalStep of(Family family, IrlsOutcome outcome) {
        return new FinalStep(family, outcome.beta().clone(), outcome.solvedAt(),
                outcome.solution().unscaledCovariance(), outcome.solution().aliased(), outcome.solution().rank());
    }
}
