package io.streamglm.engine.diagnostics;

import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;

import java.util.concurrent.ForkJoinPool;

/**
 * A fit's diagnostics as R gives them: per-row values, {@code drop1}, {@code car::vif} and actual against
 * expected by level.
 *
 * @param vif null where car gives none (aliased coefficients, fewer than two terms)
 */
public record Diagnostics(RowDiagnostics rows, Drop1 drop1, Vif vif, ActualExpected actualExpected) {

    /** The seed of the quantile residuals' uniforms when none is given. */
    public static final long DEFAULT_SEED = 1L;

    /** Null when the fit failed (there is nothing to diagnose). */
    public static Diagnostics compute(Fitting.Detailed fit, long seed, ForkJoinPool pool) {
        GlmResult result = fit.output().result();
        if (result.status() == FitStatus.FAILED || fit.finalStep() == null) {
            return null;
        }
        var step = fit.finalStep();
        var model = fit.output().model();
        var design = fit.output().design();
        double dispersion = result.dispersion() == null ? Double.NaN : result.dispersion();
        double theta = result.theta() == null ? Double.NaN : result.theta();
        RowDiagnostics rows = RowDiagnostics.compute(fit.matrix(), step, model.link(), dispersion, theta, seed, pool);
        Drop1 drop1 = Drop1.compute(fit.matrix(), design, model, result, step, pool);
        Vif vif = Vif.compute(design, step);
        ActualExpected ae = ActualExpected.compute(fit.matrix(), design, step.family(), rows.fitted(), dispersion);
        return new Diagnostics(rows, drop1, vif, ae);
    }
}
