package io.streamglm.engine.diagnostics;

import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.DesignTerm;
import io.streamglm.engine.design.FactorComponent;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.family.Family;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Actual against expected by level of each categorical main effect: the check an actuary makes first. For level
 * L, actual = sum over its rows of prior weight x y (claims, successes, amounts) and expected = the same sum of
 * the fitted means; a fit with the term and a canonical link matches them exactly (the score equations).
 *
 * <p>The ratio's interval is the normal approximation under the fitted model: Var(actual) = sum w^2 Var(y) =
 * dispersion x sum w V(mu), so ratio +/- z_{0.975} sqrt(dispersion x sum w V(mu)) / expected.
 *
 * @param terms by term label, in the design's order; each list in the order of the term's levels
 */
public record ActualExpected(Map<String, List<Level>> terms) {

    /** @param rows data rows in the level (zero-weight rows included) */
    public record Level(String level, long rows, double actual, double expected, double ratio, double ciLower,
                        double ciUpper) {
    }

    public ActualExpected {
        Map<String, List<Level>> copy = new LinkedHashMap<>();
        terms.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        terms = Collections.unmodifiableMap(copy);
    }

    /**
     * @param fitted     each row's fitted mean
     * @param dispersion summary.glm's dispersion
     */
    public static ActualExpected compute(DesignMatrix m, FittedDesign design, Family family, double[] fitted,
                                         double dispersion) {
        return of(design, sums(m, 0, m.rows(), design, family, fitted), dispersion);
    }

    /** The categorical main effects A/E is computed for, in the design's order. */
    static List<DesignTerm> factorTerms(FittedDesign design) {
        List<DesignTerm> out = new ArrayList<>();
        for (DesignTerm term : design.terms()) {
            if (term.components().size() == 1 && term.components().get(0) instanceof FactorComponent) {
                out.add(term);
            }
        }
        return out;
    }

    /**
     * Each factor term's sums by level ({@link #factorTerms} order) over rows {@code from} to {@code to} of
     * {@code m}: additive over rows, so over shards. {@code fitted[i - from]} is row i's fitted mean.
     */
    static List<GroupSums> sums(DesignMatrix m, int from, int to, FittedDesign design, Family family,
                                double[] fitted) {
        List<GroupSums> out = new ArrayList<>();
        for (DesignTerm term : factorTerms(design)) {
            FactorComponent factor = (FactorComponent) term.components().get(0);
            GroupSums sums = new GroupSums(factor.levels().size());
            for (int i = from; i < to; i++) {
                int level = level(m, i, term, factor);
                if (level >= 0) {
                    double mu = fitted[i - from];
                    sums.add(level, m.weight(i), m.y(i), mu, family.variance(mu));
                }
            }
            out.add(sums);
        }
        return out;
    }

    /**
     * The level of a factor main effect in row i of the matrix, or -1 for none (a level outside the design's
     * columns without contrasts): the base level under contrasts has no entry among the term's columns.
     */
    static int level(DesignMatrix m, int i, DesignTerm term, FactorComponent factor) {
        int first = term.firstColumn();
        int last = first + term.width();
        int[] idx = m.indices();
        for (int k = 0, base = i * m.stride(); k < m.nonZeros()[i]; k++) {
            int c = idx[base + k];
            if (c >= first && c < last) {
                return c - first + (factor.contrasts() ? 1 : 0);
            }
        }
        return factor.contrasts() ? 0 : -1;
    }

    /** A/E by level from {@link #sums}, with the ratio's interval at {@code dispersion}. */
    static ActualExpected of(FittedDesign design, List<GroupSums> sums, double dispersion) {
        Map<String, List<Level>> out = new LinkedHashMap<>();
        List<DesignTerm> terms = factorTerms(design);
        for (int t = 0; t < terms.size(); t++) {
            FactorComponent factor = (FactorComponent) terms.get(t).components().get(0);
            out.put(terms.get(t).label(), sums.get(t).levels(factor.levels(), dispersion));
        }
        return new ActualExpected(out);
    }
}
