package io.streamglm.engine.penalized;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.FrequencyComponent;
import io.streamglm.engine.design.TableEncoder;
import io.streamglm.engine.design.TargetComponent;
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
         * only (a penalized fit has no standard errors, tests or AIC; its covariance is reported as zeros, so that
         * stream records still rebuild a scorer).
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
            boolean converged = result.status() == FitStatus.CONVERGED;
            return new GlmResult(result.family(), model.family().rName(), result.link(), rows, result.status(),
                    warnings, converged, false, result.path().passes(), coefficients, c.length, null, null, 0, 0, null,
                    !model.family().dispersionFixed(), null, null, null, model.family().dispersionFixed() ? "z" : "t",
                    model.family() instanceof NegativeBinomial nb ? nb.theta() : null, null,
                    new double[c.length * c.length], List.of());
        }
    }

    /** Fits a table: the design learned from it, cross-validation folds from its fold column or the seed. */
    public static Output fit(ModelSpec spec, DataTable data) {
        requirePenalty(spec);
        List<String> warnings = new ArrayList<>();
        FittedDesign design = DesignBuilder.fit(spec, data, warnings);
        GlmModel model = model(spec, design);
        DesignMatrix matrix = TrainingSet.build(spec, model, design, data, warnings);
        PenaltySpec.Cv cv = spec.penalty().cv();
        int[] foldId = cv == null ? null : Folds.of(cv, data, matrix.rows());
        CrossValidation.FoldData folds = learnsEncodings(design)
                ? relearned(spec, design, model, data, matrix, spec.penalty().standardize())
                : CrossValidation.shared(matrix, design.intercept(), spec.penalty().standardize());
        return fit(spec, design, model, matrix, foldId, folds, warnings, data.source());
    }

    /**
     * Fits rows already encoded with a frozen design (a stream window's refit): cross-validation needs seeded folds
     * here, since a fold column is not part of the encoded rows.
     */
    public static Output fit(ModelSpec spec, FittedDesign design, DesignMatrix matrix) {
        requirePenalty(spec);
        List<String> warnings = new ArrayList<>();
        PenaltySpec.Cv cv = spec.penalty().cv();
        int[] foldId = null;
        if (cv != null && cv.foldColumn() == null) {
            foldId = RRandom.folds((int) cv.seed(), cv.folds(), matrix.rows());
        } else if (cv != null) {
            warnings.add("cross-validation on the fold column '" + cv.foldColumn() + "' is not available for encoded"
                    + " rows (stream windows): the path is fitted without it; use seeded folds (penalty.cv.folds)");
        }
        return fit(spec, design, model(spec, design), matrix, foldId,
                CrossValidation.shared(matrix, design.intercept(), spec.penalty().standardize()), warnings,
                "window rows");
    }

    private static void requirePenalty(ModelSpec spec) {
        if (spec.penalty() == null) {
            throw new IllegalArgumentException("the spec has no penalty");
        }
    }

    private static GlmModel model(ModelSpec spec, FittedDesign design) {
        GlmModel model = GlmModel.of(spec, design);
        if (model.family() == null) {
            throw new SpecException(null, List.of(new SpecProblem("theta",
                    "is missing: a penalized negative binomial needs a given theta",
                    "set \"theta\" (glmnet fits negative.binomial(theta) at a fixed theta)")));
        }
        return model;
    }

    /** Whether the design holds frequency or target encodings, which each training fold learns again. */
    private static boolean learnsEncodings(FittedDesign design) {
        return design.terms().stream().flatMap(t -> t.components().stream())
                .anyMatch(c -> c instanceof FrequencyComponent || c instanceof TargetComponent);
    }

    /**
     * Folds whose frequency and target encodings are learned from the training fold alone (ordered target
     * statistics within it), the held-out rows encoded with the fold's frozen statistics, as new data would be:
     * no held-out row's response reaches its own prediction. Levels and spline knots stay those of all rows, as in
     * a model matrix cut into folds.
     */
    static CrossValidation.FoldData relearned(ModelSpec spec, FittedDesign design, GlmModel model,
                                                      DataTable data, DesignMatrix matrix, boolean standardize) {
        return (train, held) -> {
            DataTable trainTable = data.select(train);
            FittedDesign foldDesign = DesignBuilder.relearnEncodings(spec, design, trainTable);
            DesignMatrix trainMatrix = TrainingSet.build(spec, model, foldDesign, trainTable, new ArrayList<>());
            TableEncoder heldOut = new TableEncoder(foldDesign, data.select(held));
            int[] idx = new int[Math.max(1, foldDesign.maxNonZeros())];
            double[] val = new double[idx.length];
            return new CrossValidation.Fold() {
                @Override public GlmnetProblem training() {
                    return GlmnetProblem.of(trainMatrix, null, design.intercept(), standardize);
                }

                @Override public double eta(int h, double[] coef) {
                    int count = heldOut.encode(h, idx, val);
                    if (count == TableEncoder.NULL_ROW) {
                        return Double.NaN;
                    }
                    double eta = matrix.offset(held[h]);
                    for (int e = 0; e < count; e++) {
                        eta += val[e] * coef[idx[e]];
                    }
                    return eta;
                }
            };
        };
    }

    private static Output fit(ModelSpec spec, FittedDesign design, GlmModel model, DesignMatrix matrix,
                              int[] foldId, CrossValidation.FoldData folds, List<String> warnings, String source) {
        PenaltySpec penalty = spec.penalty();
        if (penalty.cv() != null && (penalty.cv().measure().equals("class") || penalty.cv().measure().equals("auc"))
                && GlmnetPath.flavour(model.family(), model.link()) != GlmnetPath.Flavour.LOGNET) {
            throw new SpecException(source, List.of(new SpecProblem("penalty.cv.measure", "is \""
                    + penalty.cv().measure() + "\", which cv.glmnet has for binomial models with the logit link only",
                    "use deviance, mse or mae for the " + spec.family() + " family with the " + model.link().name()
                            + " link")));
        }
        boolean intercept = design.intercept();
        GlmnetProblem problem = GlmnetProblem.of(matrix, null, intercept, penalty.standardize());
        int p = problem.p;
        if (p == 0) {
            throw new SpecException(source, List.of(new SpecProblem("penalty",
                    "penalizes nothing: the model has no terms", "add terms, or remove the penalty")));
        }
        GlmnetPath.Options options = new GlmnetPath.Options(penalty.l1Ratio(), lambdas(penalty),
                penalty.nLambda(), penalty.lambdaMinRatio() != null ? penalty.lambdaMinRatio()
                : (matrix.rows() < p ? 1e-2 : 1e-4), penalty.thresh(), penalty.maxPasses(),
                penaltyFactors(design, penalty, p), penalty.groupByTerm() ? groups(design, p) : null);
        PathFit path;
        try {
            path = GlmnetPath.fit(problem, model.family(), model.link(), options);
        } catch (IllegalArgumentException e) {
            throw DataException.at(source, 0, spec.response(), e.getMessage(),
                    "glmnet cannot fit these data; check the response column");
        }
        if (path.size() == 0) {
            throw new SpecException(source, List.of(new SpecProblem("penalty.max_passes",
                    "ran out before the first lambda converged (" + penalty.maxPasses() + " passes)",
                    "raise penalty.max_passes or penalty.thresh")));
        }
        warnings.addAll(path.warnings());
        CvResult cv = null;
        if (foldId != null) {
            int foldCount = 0;
            for (int f : foldId) {
                foldCount = Math.max(foldCount, f);
            }
            String measure = penalty.cv().measure();
            cv = CrossValidation.run(matrix, folds, foldId, foldCount, intercept, model.family(), model.link(),
                    options, path, measure);
            if (!cv.measure().equals(measure)) {
                warnings.add("penalty.cv.measure: fewer than 10 rows per fold for the AUC, so the deviance was"
                        + " used, as cv.glmnet does; use fewer folds for the AUC");
            }
        }
        int selected = switch (penalty.select()) {
            case "lambda_min" -> cv != null ? cv.indexMin() : path.size() - 1;
            case "lambda_1se" -> cv != null ? cv.index1se() : path.size() - 1;
            default -> path.size() - 1;
        };
        PenalizedResult result = new PenalizedResult(spec.family(), model.link().name(), matrix.rows(),
                penalty.l1Ratio(), design.columnNames(), intercept, path, cv, selected,
                cv != null ? penalty.select() : "last", warnings);
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
