package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.spec.ModelSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/** Fits a spec to a table held in memory: freeze the design, check and encode the rows, run the fitter. */
public final class Fitting {
    private static final int FITTED_HEAD = 5;

    private Fitting() {
    }

    /** The fit and what it was fitted with. */
    public record Output(ModelSpec spec, FittedDesign design, GlmModel model, GlmResult result, long rows) {
    }

    /**
     * A fit with what its diagnostics need: the encoded rows and the final step (null when the fit failed).
     */
    public record Detailed(Output output, DesignMatrix matrix, FinalStep finalStep) {
    }

    /** @param pool threads for the passes, or null to use the calling thread only */
    public static Output fit(ModelSpec spec, DataTable data, ForkJoinPool pool) {
        return fitDetailed(spec, data, pool).output();
    }

    /** As {@link #fit}, keeping the rows and the final step for diagnostics. */
    public static Detailed fitDetailed(ModelSpec spec, DataTable data, ForkJoinPool pool) {
        List<String> dataWarnings = new ArrayList<>();
        FittedDesign design = DesignBuilder.fit(spec, data, dataWarnings);
        GlmModel model = GlmModel.of(spec, design);
        DesignMatrix matrix = TrainingSet.build(spec, model, design, data, dataWarnings);
        GlmFitter.Detailed detailed = GlmFitter.fitDetailed(new InMemoryPasses(matrix, pool), model);
        GlmResult result = detailed.result();
        List<Double> head = new ArrayList<>();
        if (result.status() != FitStatus.FAILED) {
            double[] beta = result.linearPredictorCoefficients();
            for (int i = 0; i < Math.min(FITTED_HEAD, matrix.rows()); i++) {
                head.add(model.link().linkinv(matrix.dot(i, beta) + matrix.offset(i)));
            }
        }
        List<String> warnings = new ArrayList<>(dataWarnings);
        warnings.addAll(result.warnings());
        FitStatus status = result.status();
        if (status == FitStatus.CONVERGED && constant(matrix)) {
            status = FitStatus.DEGENERATE; // a zero-variance response: the fit is exact and its tests undefined
        }
        GlmResult withHead = new GlmResult(result.family(), result.rFamily(), result.link(), result.rows(),
                status, warnings, result.converged(), result.boundary(), result.iterations(),
                result.coefficients(), result.rank(), result.deviance(), result.nullDeviance(), result.dfResidual(),
                result.dfNull(), result.dispersion(), result.dispersionEstimated(), result.pearsonChi2(),
                result.aic(), result.logLikelihood(), result.statisticName(), result.theta(), result.thetaSe(),
                result.covariance(), head);
        return new Detailed(new Output(spec, design, model, withHead, matrix.rows()), matrix, detailed.finalStep());
    }

    private static boolean constant(DesignMatrix m) {
        for (int i = 1; i < m.rows(); i++) {
            if (m.y(i) != m.y(0)) {
                return false;
            }
        }
        return m.rows() > 1;
    }
}
