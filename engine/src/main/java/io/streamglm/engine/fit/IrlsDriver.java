package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.accumulate.RowPasses;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.link.Link;
import io.streamglm.engine.solve.CholeskySolver;
import io.streamglm.engine.solve.Solution;
import io.streamglm.engine.spec.Control;

import java.util.ArrayList;
import java.util.List;

/**
 * R's {@code glm.fit} loop, step for step: start from {@code mustart} (or a given eta), solve the weighted least
 * squares at the current means, halve the step only when the deviance is not finite or the means leave the
 * family's domain, and stop when |dev - dev_old| / (|dev| + 0.1) < epsilon. Each evaluation at new
 * coefficients is one pass, which also accumulates the next step's X'WX.
 */
public final class IrlsDriver {
    private IrlsDriver() {
    }

    public static IrlsOutcome run(RowPasses passes, Family family, Link link, Control control, Point start,
                                  boolean interceptOnly) {
        List<String> warnings = new ArrayList<>();
        int p = interceptOnly ? 1 : passes.columns();
        IrlsAccumulator acc = passes.irls(new IrlsPass(family, link, start, interceptOnly));
        if (acc.invalidRows() > 0) {
            return failed("cannot find valid starting values: " + acc.invalidRows()
                    + " row(s) start outside the domain of the " + family.name() + " family with "
                    + link.name() + " link", warnings);
        }
        double devold = acc.deviance();
        double[] coefold = start.kind() == Point.Kind.COEFFICIENTS ? start.beta().clone() : null;
        Point current = start;
        Solution solution = null;
        Point solvedAt = null;
        double[] beta = null;
        boolean converged = false;
        boolean boundary = false;
        int iter;
        for (iter = 1; iter <= control.maxIterations(); iter++) {
            if (acc.badVarianceRows() > 0) {
                return failed("the variance function is 0 or NaN at " + acc.badVarianceRows()
                        + " row(s) in iteration " + iter + " (R: 0s in V(mu))", warnings);
            }
            if (acc.goodRows() == 0) {
                warnings.add("no observations informative at iteration " + iter);
                break;
            }
            Solution step = CholeskySolver.solve(acc.xtwxPacked(), acc.xtwz(), p, control.rankTolerance());
            if (!step.allFinite()) {
                warnings.add("non-finite coefficients at iteration " + iter);
                break;
            }
            if (acc.goodRows() < step.rank()) {
                return failed("X matrix has rank " + step.rank() + ", but only " + acc.goodRows()
                        + " observations", warnings);
            }
            solution = step;
            solvedAt = current;
            beta = step.beta();
            acc = passes.irls(new IrlsPass(family, link, Point.coefficients(beta), interceptOnly));
            double dev = acc.deviance();
            boundary = false;
            if (!Double.isFinite(dev)) {
                if (coefold == null) {
                    return failed("no valid set of coefficients has been found: the first step gives a "
                            + "non-finite deviance; supply better starting values or check the data", warnings);
                }
                warnings.add("step size truncated due to divergence");
                int ii = 1;
                while (!Double.isFinite(dev)) {
                    if (ii > control.maxIterations()) {
                        return failed("inner loop 1; cannot correct step size", warnings);
                    }
                    ii++;
                    beta = halfway(beta, coefold);
                    acc = passes.irls(new IrlsPass(family, link, Point.coefficients(beta), interceptOnly));
                    dev = acc.deviance();
                }
                boundary = true;
            }
            if (acc.invalidRows() > 0) {
                if (coefold == null) {
                    return failed("no valid set of coefficients has been found: the first step leaves the "
                            + "domain of the " + family.name() + " family; supply better starting values", warnings);
                }
                warnings.add("step size truncated: out of bounds");
                int ii = 1;
                while (acc.invalidRows() > 0) {
                    if (ii > control.maxIterations()) {
                        return failed("inner loop 2; cannot correct step size", warnings);
                    }
                    ii++;
                    beta = halfway(beta, coefold);
                    acc = passes.irls(new IrlsPass(family, link, Point.coefficients(beta), interceptOnly));
                }
                boundary = true;
                dev = acc.deviance();
            }
            current = Point.coefficients(beta);
            if (Math.abs(dev - devold) / (0.1 + Math.abs(dev)) < control.epsilon()) {
                converged = true;
                break;
            }
            devold = dev;
            coefold = beta.clone();
        }
        if (solution == null) {
            return failed("no IRLS step could be taken: " + String.join("; ", warnings), warnings);
        }
        int iterations = Math.min(iter, control.maxIterations());
        if (!converged) {
            warnings.add("algorithm did not converge in " + control.maxIterations() + " iterations");
        }
        if (boundary) {
            warnings.add("algorithm stopped at boundary value");
        }
        return new IrlsOutcome(null, beta, solution, solvedAt, acc, iterations, converged, boundary, warnings);
    }

    private static double[] halfway(double[] beta, double[] coefold) {
        double[] out = new double[beta.length];
        for (int j = 0; j < beta.length; j++) {
            out[j] = (beta[j] + coefold[j]) / 2;
        }
        return out;
    }

    private static IrlsOutcome failed(String why, List<String> warnings) {
        return new IrlsOutcome(why, null, null, null, null, 0, false, false, warnings);
    }
}
