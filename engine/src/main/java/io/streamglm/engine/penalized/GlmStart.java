package io.streamglm.engine.penalized;

import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.GlmFitter;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.link.Link;
import io.streamglm.engine.spec.Control;

import java.util.Arrays;
import java.util.List;

/**
 * glmnet.path's starting point with an offset: {@code get_start} fits {@code glm(y ~ 1, family = family, weights =
 * weights, offset = offset)}, R's glm.fit with its own start ({@code family$initialize}), steps and stop ({@code
 * epsilon = 1e-8}, {@code maxit = 25}), on the prior weights as given, and takes its fitted values. That fit stops
 * short of the exact intercept, and lambda_max, the null deviance and the whole lambda sequence follow from it, so
 * the engine's R-exact glm.fit is run here rather than solving the intercept to convergence.
 */
final class GlmStart {
    private GlmStart() {
    }

    /**
     * The intercept of glm(y ~ 1, offset) at R's stop, or NaN when that fit fails (the caller then solves the
     * intercept itself).
     *
     * @param priorWeights the prior weights as the user gave them (not scaled to sum to 1: R's convergence test
     *                     adds 0.1 to the deviance, so the scale matters)
     */
    static double intercept(double[] y, double[] priorWeights, double[] offset, Family family, Link link) {
        int n = y.length;
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        DesignMatrix m = new DesignMatrix(List.of("Intercept"), n, new int[]{0}, ones, 1, new int[n], new double[n],
                new int[n], y.clone(), priorWeights.clone(), offset.clone());
        GlmModel model = new GlmModel(family.name(), family, link, Control.R_DEFAULT, true, true,
                List.of("Intercept"));
        GlmResult result = GlmFitter.fit(new InMemoryPasses(m, null), model);
        if (result.status() == FitStatus.FAILED || result.coefficients().isEmpty()) {
            return Double.NaN;
        }
        return result.coefficients().get(0).estimate();
    }
}
