package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.family.NegativeBinomial;
import io.streamglm.engine.fit.Coefficient;
import io.streamglm.engine.fit.FitStatus;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.PenaltySpec;
import io.streamglm.engine.spec.SpecException;
import io.streamglm.engine.spec.SpecProblem;

import java.util.ArrayList;
import java.util.List;

/** Fits a penalized spec to a table in memory: the design and rows as an unpenalized fit, then glmnet's path. */
public final class PenalizedFitting {
    private PenalizedFitting() {
    }

    /** The fit and what it was fitted with. */
    public record Output(ModelSpec spec, FittedDesign design, GlmModel model, PenalizedResult result, long rows) {

        /**
         * The selected fit as an unpenalized result carries it, for model files, scoring and streams: estimates
         * only (a penalized fit has no standard errors, tests or AIC).
         */
        public GlmResult asGlmResult() {
            double[] c = result.coefficients(result.selected());
            List<Coefficient> coefficients = new ArrayList<>();
            for (int j = 0; j < c.length; j++) {
                coefficients.add(new Coefficient(result.columnNames().get(j), false, c[j], null, null, null, null,
                        null, null, null));
            }
            List<String> warnings = new ArrayList<>(result.warnings());
            warnings.add("penalized fit (glmnet, l1_ratio " + result.l1Ratio() + ") at lambda "
                    + result.selectedLambda() + " (" + result.select() + "): no standard errors or tests");
            return new GlmResult(result.family(), model.family().rName(), result.link(), rows, FitStatus.CONVERGED,
                    warnings, true, false, result.path().passes(), coefficients, c.length, null, null, 0, 0, null,
                    !model.family().dispersionFixed(), null, null, null, model.family().dispersionFixed() ? "z" : "t",
                    model.family() instanceof NegativeBinomial nb ? nb.theta() : null, null, null, List.of());
        }
    }

    public static Output fit(ModelSpec spec, DataTable data) {
        PenaltySpec penalty = spec.penalty();
        if (penalty == null) {
            throw new IllegalArgumentException("the spec has no penalty");
        }
        List<String> warnings = new ArrayList<>();
        FittedDesign design = DesignBuilder.fit(spec, data, warnings);
        GlmModel model = GlmModel.of(spec, design);
        if (model.family() == null) {
            throw new SpecException(null, List.of(new SpecProblem("theta",
                    "is missing: a penalized negative binomial needs a given theta",
                    "set \"theta\" (glmnet fits negative.binomial(theta) at a fixed theta)")));
        }
        DesignMatrix matrix = TrainingSet.build(spec, model, design, data, warnings);
        boolean intercept = design.intercept();
        GlmnetProblem problem = GlmnetProblem.of(matrix, null, intercept, penalty.standardize());
        int p = problem.p;
        GlmnetPath.Options options = new GlmnetPath.Options(penalty.l1Ratio(), lambdas(penalty),
                penalty.nLambda(), penalty.lambdaMinRatio() != null ? penalty.lambdaMinRatio()
                : (matrix.rows() < p ? 1e-2 : 1e-4), penalty.thresh(), penalty.maxPasses(),
                penaltyFactors(design, penalty, p), penalty.groupByTerm() ? groups(design, p) : null);
        PathFit path;
        try {
            path = GlmnetPath.fit(problem, model.family(), model.link(), options);
        } catch (IllegalArgumentException e) {
            throw DataException.at(data.source(), 0, spec.response(), e.getMessage(),
                    "glmnet cannot fit these data; check the response column");
        }
        warnings.addAll(path.warnings());
        CvResult cv = null;
        if (penalty.cv() != null) {
            int[] foldId = Folds.of(penalty.cv(), data, matrix.rows());
            int folds = 0;
            for (int f : foldId) {
                folds = Math.max(folds, f);
            }
            cv = CrossValidation.run(matrix, foldId, folds, intercept, penalty.standardize(), model.family(),
                    model.link(), options, path);
        }
        int selected = switch (penalty.select()) {
            case "lambda_min" -> cv.indexMin();
            case "lambda_1se" -> cv.index1se();
            default -> path.size() - 1;
        };
        PenalizedResult result = new PenalizedResult(spec.family(), model.link().name(), matrix.rows(),
                penalty.l1Ratio(), design.columnNames(), intercept, path, cv, selected, penalty.select(), warnings);
        return new Output(spec, design, model, result, matrix.rows());
    }

    private static double[] lambdas(PenaltySpec penalty) {
        if (penalty.lambdas() == null) {
            return null;
        }
        return penalty.lambdas().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The group of each penalized column: the index of its term. */
    static int[] groups(FittedDesign design, int p) {
        int[] groups = new int[p];
        int first = design.intercept() ? 1 : 0;
        List<DesignTerm> terms = design.terms();
        for (int t = 0; t < terms.size(); t++) {
            for (int k = 0; k < terms.get(t).width(); k++) {
                groups[terms.get(t).firstColumn() - first + k] = t;
            }
        }
        return groups;
    }

    /** glmnet's penalty.factor per penalized column from the factors by term, rescaled to sum to the columns. */
    static double[] penaltyFactors(FittedDesign design, PenaltySpec penalty, int p) {
        double[] vp = new double[p];
        int first = design.intercept() ? 1 : 0;
        for (DesignTerm t : design.terms()) {
            double f = penalty.penaltyFactor().getOrDefault(t.label(), 1.0);
            for (int k = 0; k < t.width(); k++) {
                vp[t.firstColumn() - first + k] = f;
            }
        }
        double sum = 0;
        for (double v : vp) {
            sum += v;
        }
        for (int j = 0; j < p; j++) {
            vp[j] = vp[j] * p / sum;
        }
        return vp;
    }
}
