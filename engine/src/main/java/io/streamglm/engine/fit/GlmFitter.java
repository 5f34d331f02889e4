package io.streamglm.engine.fit;

import io.streamglm.engine.accumulate.InferenceAccumulator;
import io.streamglm.engine.accumulate.InferencePass;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.accumulate.RowPasses;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.family.NegativeBinomial;
import io.streamglm.engine.family.Poisson;
import io.streamglm.engine.inference.Sandwich;
import io.streamglm.engine.inference.TestStatistics;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a GLM as R does: {@code glm()} (with its null-deviance refit when there is an offset), or
 * {@code MASS::glm.nb} when a negative binomial's theta is estimated; then {@code summary.glm},
 * {@code logLik}, {@code AIC} and {@code sandwich::vcovHC} from one final pass.
 */
public final class GlmFitter {
    private GlmFitter() {
    }

    public static GlmResult fit(RowPasses passes, GlmModel model) {
        return fitDetailed(passes, model).result();
    }

    /** A fit and, unless it failed (then null), the final step its diagnostics are computed from. */
    public record Detailed(GlmResult result, FinalStep finalStep) {
    }

    public static Detailed fitDetailed(RowPasses passes, GlmModel model) {
        if (model.estimatesTheta()) {
            return fitNegativeBinomial(passes, model);
        }
        IrlsOutcome outcome = IrlsDriver.run(passes, model.family(), model.link(), model.control(), Point.MU_START, false);
        if (outcome.failed()) {
            return failed(model, model.family(), outcome);
        }
        List<String> warnings = new ArrayList<>(outcome.warnings());
        Double nullDeviance = null;
        if (model.hasOffset() && model.intercept()) {
            // R's glm(): refit the intercept-only model with the offset, starting from the full fit's means.
            IrlsOutcome nullFit = IrlsDriver.run(passes, model.family(), model.link(), model.control(),
                    Point.fitted(outcome.beta()), true);
            if (nullFit.failed()) {
                warnings.add("fitting to calculate the null deviance failed: " + nullFit.failure());
            } else {
                if (!nullFit.converged()) {
                    warnings.add("fitting to calculate the null deviance did not converge -- increase max_iterations?");
                }
                nullDeviance = nullFit.deviance();
            }
        }
        return new Detailed(summarize(passes, model, model.family(), outcome, warnings, nullDeviance, null),
                FinalStep.of(model.family(), outcome));
    }

    /** {@code MASS::glm.nb}: a Poisson start, then IRLS alternating with {@code theta.ml} until the log-likelihood settles. */
    private static Detailed fitNegativeBinomial(RowPasses passes, GlmModel model) {
        var control = model.control();
        IrlsOutcome fit = IrlsDriver.run(passes, Poisson.INSTANCE, model.link(), control, Point.MU_START, false);
        if (fit.failed()) {
            return failed(model, Poisson.INSTANCE, fit);
        }
        List<String> warnings = new ArrayList<>();
        double weightSum = fit.atBeta().sumWeights();
        ThetaMl.Estimate th = ThetaMl.estimate(passes, model.link(), fit.beta(), weightSum, control.maxIterations());
        if (th.theta() <= 0 || !Double.isFinite(th.theta())) {
            return failed(model, Poisson.INSTANCE, new IrlsOutcome("theta could not be estimated (theta.ml gave "
                    + th.theta() + "); the data may not be overdispersed: try the poisson family",
                    null, null, null, null, 0, false, false, th.warnings()));
        }
        Family family = new NegativeBinomial(th.theta());
        long dfResidual = fit.atBeta().activeRows() - fit.solution().rank();
        double d1 = Math.sqrt(2.0 * Math.max(1, dfResidual));
        double d2 = 1;
        double del = 1;
        double lm = ThetaMl.logLikelihood(passes, model.link(), fit.beta(), th.theta());
        double lm0 = lm + 2 * d1;
        double[] muBeta = fit.beta();
        Family fitFamily = family;
        int iter = 0;
        while (++iter <= control.maxIterations() && (Math.abs(lm0 - lm) / d1 + Math.abs(del) / d2) > control.epsilon()) {
            fitFamily = family;
            fit = IrlsDriver.run(passes, family, model.link(), control, Point.fitted(muBeta), false);
            if (fit.failed()) {
                return failed(model, family, fit);
            }
            double t0 = th.theta();
            // theta.ml sees the previous fit's means: glm.nb updates mu only after estimating theta.
            th = ThetaMl.estimate(passes, model.link(), muBeta, weightSum, control.maxIterations());
            if (th.theta() <= 0 || !Double.isFinite(th.theta())) {
                return failed(model, family, new IrlsOutcome("theta estimate left (0, inf): " + th.theta(),
                        null, null, null, null, 0, false, false, th.warnings()));
            }
            family = new NegativeBinomial(th.theta());
            muBeta = fit.beta();
            del = t0 - th.theta();
            lm0 = lm;
            lm = ThetaMl.logLikelihood(passes, model.link(), muBeta, th.theta());
        }
        warnings.addAll(fit.warnings());
        warnings.addAll(th.warnings());
        if (iter > control.maxIterations()) {
            warnings.add("alternation limit reached");
        }
        Double nullDeviance = null;
        if (model.hasOffset() && model.intercept()) {
            // glm.nb refits the null model from the family's own start, at the final theta.
            IrlsOutcome nullFit = IrlsDriver.run(passes, family, model.link(), control, Point.MU_START, true);
            if (nullFit.failed()) {
                warnings.add("fitting to calculate the null deviance failed: " + nullFit.failure());
            } else {
                nullDeviance = nullFit.deviance();
            }
        }
        return new Detailed(summarize(passes, model, fitFamily, fit, warnings, nullDeviance,
                new NegBinExtras(th.theta(), th.standardError(), lm)), FinalStep.of(fitFamily, fit));
    }

    record NegBinExtras(double theta, double thetaSe, double logLikelihood) {
    }

    private static GlmResult summarize(RowPasses passes, GlmModel model, Family family, IrlsOutcome outcome,
                                       List<String> warnings, Double nullDevianceOverride, NegBinExtras nb) {
        int p = passes.columns();
        double[] beta = outcome.beta();
        boolean[] aliased = outcome.solution().aliased();
        int rank = outcome.solution().rank();
        double[] cov = outcome.solution().unscaledCovariance();
        double deviance = outcome.deviance();
        double sumWeights = outcome.atBeta().sumWeights();
        Double nullMean = model.intercept() ? outcome.atBeta().sumWeightedY() / sumWeights : null;
        InferenceAccumulator inf = passes.inference(new InferencePass(family, model.link(), beta, outcome.solvedAt(),
                cov, deviance, sumWeights, nullMean));
        long nobs = inf.rows();
        long nOk = inf.activeRows();
        long dfResidual = nOk - rank;
        long dfNull = nOk - (model.intercept() ? 1 : 0);
        double nullDeviance = nullDevianceOverride != null ? nullDevianceOverride : inf.nullDeviance();

        FitStatus status = outcome.converged() ? FitStatus.CONVERGED : FitStatus.NOT_CONVERGED;
        if (outcome.boundary() && status == FitStatus.CONVERGED) {
            status = FitStatus.BOUNDARY;
        }
        if (inf.muNearOneRows() + inf.muNearZeroRows() > 0) {
            warnings.add(family.name().equals("binomial")
                    ? "fitted probabilities numerically 0 or 1 occurred (" + (inf.muNearOneRows() + inf.muNearZeroRows())
                    + " rows): the data may be separated; estimates and standard errors are unreliable"
                    : "fitted rates numerically 0 occurred (" + inf.muNearZeroRows() + " rows)");
            if (status == FitStatus.CONVERGED) {
                status = FitStatus.SEPARATION;
            }
        }

        boolean fixed = family.dispersionFixed();
        double dispersion;
        if (fixed) {
            dispersion = 1.0;
        } else if (dfResidual > 0) {
            dispersion = inf.dispersionSum() / dfResidual;
        } else {
            dispersion = Double.NaN;
            warnings.add("no residual degrees of freedom: the dispersion and standard errors cannot be estimated");
        }
        if (!fixed && dispersion == 0) {
            warnings.add("the fit is exact (zero residual dispersion, e.g. a constant response): standard errors are 0"
                    + " and tests are undefined");
        }
        if ((Double.isNaN(dispersion) || dispersion == 0) && status == FitStatus.CONVERGED) {
            status = FitStatus.DEGENERATE;
        }

        double robustScale = Math.pow((double) nOk / nobs, 2);
        double[] hc0 = Sandwich.standardErrors(cov, inf.meatHc0Packed(), p, robustScale, aliased);
        double[] hc2 = Sandwich.standardErrors(cov, inf.meatHc2Packed(), p, robustScale, aliased);
        double[] hc3 = Sandwich.standardErrors(cov, inf.meatHc3Packed(), p, robustScale, aliased);
        double hc1Factor = nobs > rank ? Math.sqrt((double) nobs / (nobs - rank)) : Double.NaN;
        if (inf.hatOneRows() > 0) {
            warnings.add(inf.hatOneRows() + " row(s) have leverage 1 (e.g. a level seen once): HC2 and HC3 standard"
                    + " errors are undefined");
        }

        List<String> names = model.columnNames();
        List<Coefficient> coefficients = new ArrayList<>(p);
        double[] scaledCov = new double[p * p];
        for (int i = 0; i < p * p; i++) {
            scaledCov[i] = cov[i] * (Double.isNaN(dispersion) ? 0 : dispersion);
        }
        for (int j = 0; j < p; j++) {
            if (aliased[j]) {
                coefficients.add(new Coefficient(names.get(j), true, null, null, null, null, null, null, null, null));
                continue;
            }
            double se = Math.sqrt(dispersion * cov[j * p + j]);
            double stat = beta[j] / se;
            double pValue = fixed ? TestStatistics.normalTwoSided(stat)
                    : dfResidual > 0 ? TestStatistics.studentTwoSided(stat, dfResidual) : Double.NaN;
            coefficients.add(new Coefficient(names.get(j), false, finite(beta[j]), finite(se), finite(stat),
                    finite(pValue), finite(hc0[j]), finite(hc0[j] * hc1Factor), finite(hc2[j]), finite(hc3[j])));
        }
        // R is silent when a level's responses are all 0 (or all 1): its estimate runs off towards infinity
        // until the deviance stops changing. Say so, on the scales where that happens.
        boolean boundedScale = List.of("log", "logit", "probit", "cloglog").contains(model.link().name());
        List<String> runaway = new ArrayList<>();
        for (Coefficient c : coefficients) {
            if (boundedScale && c.estimate() != null && c.statistic() != null && Math.abs(c.estimate()) > 10
                    && Math.abs(c.statistic()) < 0.05) {
                runaway.add(c.name() + " = " + String.format(java.util.Locale.ROOT, "%.3g", c.estimate()));
            }
        }
        if (!runaway.isEmpty()) {
            warnings.add("estimates diverging with huge standard errors (quasi-separation, e.g. a level whose"
                    + " responses are all 0 or all 1): " + String.join(", ", runaway));
            if (status == FitStatus.CONVERGED) {
                status = FitStatus.SEPARATION;
            }
        }
        if (!aliasedNames(names, aliased).isEmpty()) {
            warnings.add("coefficients not defined because of singularities (aliased): "
                    + String.join(", ", aliasedNames(names, aliased)));
        }

        Double aic;
        Double logLik;
        if (nb != null) {
            logLik = nb.logLikelihood();
            aic = -2 * nb.logLikelihood() + 2 * rank + 2;
        } else if (family.hasAic()) {
            double a = family.aicFromTerms(inf.aicTerms(), nobs, deviance, sumWeights) + 2 * rank;
            aic = finite(a);
            logLik = aic == null ? null : (rank + family.extraLogLikParameters()) - a / 2;
            if (aic == null) {
                warnings.add("AIC is not finite for these data (R gives " + a + "), reported as null");
            }
        } else {
            aic = null;
            logLik = null;
        }
        Double theta = nb != null ? Double.valueOf(nb.theta())
                : family instanceof NegativeBinomial fixedNb ? fixedNb.theta() : null;
        return new GlmResult(model.familyName(), family.rName(), model.link().name(), nobs, status, warnings,
                outcome.converged(), outcome.boundary(), outcome.iterations(), coefficients, rank, finite(deviance),
                finite(nullDeviance), dfResidual, dfNull, finite(dispersion), !fixed, finite(inf.pearson()), aic,
                logLik, fixed ? "z" : "t", theta, nb != null ? finite(nb.thetaSe()) : null, scaledCov, null);
    }

    private static List<String> aliasedNames(List<String> names, boolean[] aliased) {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < aliased.length; j++) {
            if (aliased[j]) {
                out.add(names.get(j));
            }
        }
        return out;
    }

    private static Detailed failed(GlmModel model, Family family, IrlsOutcome outcome) {
        List<String> warnings = new ArrayList<>(outcome.warnings());
        warnings.add(0, outcome.failure());
        List<Coefficient> coefficients = new ArrayList<>();
        for (String name : model.columnNames()) {
            coefficients.add(new Coefficient(name, false, null, null, null, null, null, null, null, null));
        }
        return new Detailed(new GlmResult(model.familyName(), family.rName(), model.link().name(), 0, FitStatus.FAILED,
                warnings, false, false, outcome.iterations(), coefficients, 0, null, null, 0, 0, null,
                !family.dispersionFixed(), null, null, null, family.dispersionFixed() ? "z" : "t", null, null, null,
                null), null);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
