package io.streamglm.engine.diagnostics;

import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.Point;
import io.streamglm.engine.design.DesignComponent;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.fit.FinalStep;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.fit.IrlsDriver;
import io.streamglm.engine.fit.IrlsOutcome;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.FDistribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;

/**
 * R's {@code drop1.glm(fit, test = "Chisq")} for families with a fixed dispersion, {@code test = "F"} for those
 * where it is estimated. Each term of {@code drop.scope} is dropped in turn and the rest refitted as R does:
 * {@code glm.fit} from the family's own starting values, with the fit's weights, offset, control and family
 * object. For a {@code glm.nb} fit that object is the negative binomial at the theta of the last IRLS run: drop1
 * holds theta fixed, and its AIC baseline is {@code extractAIC.negbin}'s -2 logLik + 2 rank, without the 2 that
 * {@code glm.nb}'s own AIC adds for theta.
 *
 * @param test   "Chisq" or "F"
 * @param terms  by term label, in the design's order
 */
public record Drop1(String test, Map<String, Row> terms) {

    /**
     * One dropped term.
     *
     * @param df       number of coefficients lost (the rank difference)
     * @param deviance deviance of the reduced fit
     * @param aic      R's AIC column: the fit's AIC moved by the change in deviance / dispersion (n log(dev / n)
     *                 for gaussian) and 2 x df; null where the fit has no AIC (quasi families, Tweedie)
     * @param lrt      the (scaled) deviance difference; null under the F test
     * @param f        F value; null under the chi-square test
     * @param pValue   upper tail of the chi-square or F distribution
     */
    public record Row(int df, double deviance, Double aic, Double lrt, Double f, Double pValue) {
    }

    public Drop1 {
        terms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    public static Drop1 compute(DesignMatrix m, FittedDesign design, GlmModel model, GlmResult result,
                                FinalStep step, ForkJoinPool pool) {
        Family family = step.family();
        boolean chisq = family.dispersionFixed();
        double dispersion = result.dispersion() == null ? Double.NaN : result.dispersion();
        double fullDeviance = result.deviance();
        int rank = step.rank();
        long n = m.rows();
        long rdf = result.dfResidual();
        boolean gaussian = family.name().equals("gaussian");
        double fullLoglik = loglik(gaussian, fullDeviance, n, dispersion);
        // R's AIC column is shifted so that the full model's entry is extractAIC(fit): the fit's own AIC, except
        // that extractAIC.negbin leaves out the 2 that glm.nb's AIC counts for theta.
        Double fullAic = result.aic() == null ? null : model.estimatesTheta() ? result.aic() - 2 : result.aic();
        Double aicShift = fullAic == null ? null : fullAic - (fullLoglik + 2.0 * rank);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (DesignTerm term : scope(design)) {
            DesignMatrix reduced = m.withoutColumns(term.firstColumn(), term.firstColumn() + term.width());
            InMemoryPasses passes = new InMemoryPasses(reduced, pool);
            int reducedRank;
            double dev;
            if (reduced.columns() == 0) {
                // glm.fit with an empty design: no iterations, mu = g^-1(offset).
                reducedRank = 0;
                dev = passes.irls(new IrlsPass(family, model.link(), Point.coefficients(new double[0]), false))
                        .deviance();
            } else {
                IrlsOutcome z = IrlsDriver.run(passes, family, model.link(), model.control(), Point.MU_START, false);
                if (z.failed()) {
                    continue; // R stops with glm.fit's error; the other terms' rows still stand
                }
                reducedRank = z.solution().rank();
                dev = z.deviance();
            }
            int df = rank - reducedRank;
            double ll = loglik(gaussian, dev, n, dispersion);
            Double aic = aicShift == null ? null : finite(ll + 2.0 * reducedRank + aicShift);
            if (chisq) {
                double lrt = Math.max(0, ll - fullLoglik);
                Double p = df > 0 ? finite(ChiSquaredDistribution.of(df).survivalProbability(lrt)) : null;
                rows.put(term.label(), new Row(df, dev, aic, lrt, null, p));
            } else {
                double rms = fullDeviance / rdf;
                Double f = df < 1e-4 ? null : finite(Math.max(0, dev - fullDeviance) / df / rms);
                Double p = f == null || rdf <= 0 ? null : finite(FDistribution.of(df, rdf).survivalProbability(f));
                rows.put(term.label(), new Row(df, dev, aic, null, f, p));
            }
        }
        return new Drop1(chisq ? "Chisq" : "F", rows);
    }

    /** drop1.glm's log-likelihood up to a constant: n log(dev / n) for gaussian, else dev / dispersion. */
    private static double loglik(boolean gaussian, double deviance, long n, double dispersion) {
        return gaussian ? n * Math.log(deviance / n) : deviance / dispersion;
    }

    /**
     * R's {@code drop.scope}: the terms not contained in another term (dropping a main effect while its
     * interaction stays would break marginality).
     */
    static List<DesignTerm> scope(FittedDesign design) {
        List<DesignTerm> terms = design.terms();
        return terms.stream().filter(t -> terms.stream().noneMatch(o -> o != t && contains(o, t))).toList();
    }

    private static boolean contains(DesignTerm outer, DesignTerm inner) {
        Set<String> o = names(outer);
        Set<String> i = names(inner);
        return o.size() > i.size() && o.containsAll(i);
    }

    private static Set<String> names(DesignTerm t) {
        return t.components().stream().map(DesignComponent::name).collect(Collectors.toSet());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
