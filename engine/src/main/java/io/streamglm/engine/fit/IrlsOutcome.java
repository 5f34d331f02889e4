package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.solve.Solution;

import java.util.List;

/**
 * The end of one {@code glm.fit} run.
 *
 * @param failure     null, or why no estimates exist (then the other fields may be null)
 * @param beta        final coefficients, aliased ones zero
 * @param solution    the last solved step: aliasing, rank and (X'WX)^-1 for the covariance
 * @param solvedAt    the point at which that step's X'WX was accumulated (R's {@code fit$weights} come from it)
 * @param atBeta      the pass at {@code beta}: deviance, sums of weights
 */
public record IrlsOutcome(String failure, double[] beta, Solution solution, Point solvedAt, IrlsAccumulator atBeta,
                          int iterations, boolean converged, boolean boundary, List<String> warnings) {

    public IrlsOutcome {
        warnings = List.copyOf(warnings);
    }

    public boolean failed() {
        return failure != null;
    }

    public double deviance() {
        return atBeta.deviance();
    }
}
