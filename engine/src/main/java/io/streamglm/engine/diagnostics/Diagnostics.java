package io.streamglm.engine.diagnostics;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.Fitting;
import io.streamglm.engine.fit.GlmResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * A fit's diagnostics: per-row values, {@code drop1}, {@code car::vif} and actual against expected by level (as
 * R gives them), then what an actuary adds: actual against expected by band of each numeric term, and lift
 * (Gini, calibration and lift by decile, Hosmer-Lemeshow) and the check of categorical columns left out of the
 * model (A/E by level and a score test of adding each).
 *
 * @param vif     null where car gives none (aliased coefficients, fewer than two terms)
 * @param holdout    null unless rows were held out of the fit
 * @param doubleLift null unless another model was given to compare with
 */
public record Diagnostics(RowDiagnostics rows, Drop1 drop1, Vif vif, ActualExpected actualExpected,
                          ActualExpected bands, Lift lift, UnmodelledFactors unmodelled, Holdout holdout,
                          DoubleLift doubleLift) {

    /** The same diagnostics with the measures on held-out rows. */
    public Diagnostics withHoldout(Holdout h) {
        return new Diagnostics(rows, drop1, vif, actualExpected, bands, lift, unmodelled, h, doubleLift);
    }

    /** The same diagnostics with a double lift against another model (on the fitted rows). */
    public Diagnostics withDoubleLift(DoubleLift d) {
        return new Diagnostics(rows, drop1, vif, actualExpected, bands, lift, unmodelled, holdout, d);
    }

    /** The seed of the quantile residuals' uniforms when none is given. */
    public static final long DEFAULT_SEED = 1L;

    /**
     * Null when the fit failed (there is nothing to diagnose).
     *
     * @param data the fitted table, for the spec's exposure column (lift weights); null to weight rows by prior
     *             weight alone
     */
    public static Diagnostics compute(Fitting.Detailed fit, DataTable data, long seed, ForkJoinPool pool) {
        return compute(fit, data, List.of(), List.of(), seed, pool);
    }

    /**
     * @param unmodelled        categorical columns of {@code data} that are not in the model, to check
     * @param unmodelledNumeric numeric columns of {@code data} that are not in the model, to check
     */
    public static Diagnostics compute(Fitting.Detailed fit, DataTable data, List<String> unmodelled,
                                      List<String> unmodelledNumeric, long seed, ForkJoinPool pool) {
        GlmResult result = fit.output().result();
        if (result.status() == FitStatus.FAILED || fit.finalStep() == null) {
            return null;
        }
        var step = fit.finalStep();
        var model = fit.output().model();
        var design = fit.output().design();
        var matrix = fit.matrix();
        String exposureColumn = fit.output().spec().exposure();
        double[] exposure = data != null && exposureColumn != null ? data.numeric(exposureColumn) : null;
        double dispersion = result.dispersion() == null ? Double.NaN : result.dispersion();
        double theta = result.theta() == null ? Double.NaN : result.theta();
        RowDiagnostics rows = RowDiagnostics.compute(matrix, step, model.link(), dispersion, theta, seed, pool);
        Drop1 drop1 = Drop1.compute(matrix, design, model, result, step, pool);
        Vif vif = Vif.compute(design, step);
        ActualExpected ae = ActualExpected.compute(matrix, design, step.family(), rows.fitted(), dispersion);
        ActualExpected bands = Bands.compute(matrix, design, step.family(), rows.fitted(), dispersion);
        Lift lift = Lift.compute(matrix, step.family(), rows.fitted(), step.beta(), exposure, dispersion);
        UnmodelledFactors others = unmodelled.isEmpty() && unmodelledNumeric.isEmpty()
                ? new UnmodelledFactors(Map.of())
                : UnmodelledFactors.compute(matrix, step, model.link(), dispersion, rows, data, unmodelled,
                        unmodelledNumeric);
        return new Diagnostics(rows, drop1, vif, ae, bands, lift, others, null, null);
    }
}
